"""The languages the site serves, for the forms and admins that edit texts stored per language.

Our models' texts have a column for every language the engine is translated into (settings.
MODELTRANSLATION_LANGUAGES: name_it, name_en, name_fr, name_de), whether the site serves it or not, so
that switching French on is a setting (SITE_LANGUAGES), never a migration. The forms must then offer only
the columns of the languages the site serves (settings.LANGUAGES): a DMC that serves Italian and English
never sees empty French and German boxes, and a text already written in a language switched off is kept
untouched (the field is left out of the form, not emptied). Read per request, not at import, so a test
can switch languages with override_settings.
"""

from django.conf import settings
from modeltranslation.translator import NotRegistered, translator


def site_language_codes() -> list[str]:
    """The codes of the languages the site serves, Italian first."""
    return [code for code, _name in settings.LANGUAGES]


def served_language(code: str | None) -> str:
    """`code` if the site serves it, else the default language: for a language stored on a record
    (an order's) that may since have been switched off."""
    return code if code in site_language_codes() else settings.LANGUAGE_CODE


def language_fields(model) -> dict[str, str]:
    """{column name: its language} for the per-language columns of `model` (empty if it has none)."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    return {field.name: field.language for fields in options.all_fields.values() for field in fields}


def off_language_fields(model) -> set[str]:
    """The per-language columns of `model` in languages the site does not serve."""
    served = set(site_language_codes())
    return {name for name, language in language_fields(model).items() if language not in served}


def per_language(*names: str) -> list[str]:
    """["name_it", "name_en", "name_fr", "name_de", …]: a form's Meta.fields lists every column; the mixin
    below drops the languages the site does not serve."""
    return [f"{name}_{code}" for name in names for code in settings.MODELTRANSLATION_LANGUAGES]


class SiteLanguagesFormMixin:
    """A ModelForm that shows the per-language fields of the served languages only.

    Only the Italian text is required where the model requires one, as in modeltranslation's own admin:
    an empty text in another language falls back (settings.MODELTRANSLATION_FALLBACK_LANGUAGES).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        off = off_language_fields(self._meta.model)
        for name, language in language_fields(self._meta.model).items():
            if name in off:
                self.fields.pop(name, None)
            elif name in self.fields and language != settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
                self.fields[name].required = False


class SiteLanguagesAdminMixin:
    """For modeltranslation's TranslationAdmin and its inlines, placed before them in the bases.

    modeltranslation expands each translated field into its columns in every language with
    `replace_orig_field` (fields, fieldsets, readonly fields) and builds the fieldsets of an admin that
    declares none from the form's fields through the same method: filtering there keeps the form and
    its layout in step.
    """

    def replace_orig_field(self, option):
        off = off_language_fields(self.model)
        replaced = super().replace_orig_field(option)
        if not off or not replaced:
            return replaced
        kept = []
        for item in replaced:
            if isinstance(item, list | tuple):
                item = type(item)(name for name in item if name not in off)
                if item:
                    kept.append(item)
            elif item not in off:
                kept.append(item)
        return kept
