"""Per-language columns (django-modeltranslation) for what travellers read: title_it/title_en, …"""

from modeltranslation.translator import TranslationOptions, register

from .models import Package, PackageComponent, PackagePhoto


@register(Package)
class PackageTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description", "included", "excluded", "meeting_point")


@register(PackagePhoto)
class PackagePhotoTranslationOptions(TranslationOptions):
    fields = ("caption",)


@register(PackageComponent)
class PackageComponentTranslationOptions(TranslationOptions):
    fields = ("note",)
