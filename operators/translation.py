"""Per-language columns (django-modeltranslation): name_it/name_en, description_it/description_en."""

from modeltranslation.translator import TranslationOptions, register

from .models import Operator, Service


@register(Operator)
class OperatorTranslationOptions(TranslationOptions):
    fields = ("description",)


@register(Service)
class ServiceTranslationOptions(TranslationOptions):
    fields = ("name", "description")
