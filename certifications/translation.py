"""Scheme texts in every language (name_it, name_en…), with Italian as the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import Scheme


@register(Scheme)
class SchemeTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "criteria")
