"""Registry names shown in the user's language (django-modeltranslation: one column per language,
falling back as settings.MODELTRANSLATION_FALLBACK_LANGUAGES says)."""

from modeltranslation.translator import TranslationOptions, register, translator

from concord.network.models import CooperationGroup, Country, Organisation, Region


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name",)


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CooperationGroup)
class CooperationGroupTranslation(TranslationOptions):
    fields = ("name",)


# simple-history builds its shadow models before modeltranslation adds the per-language columns; the
# shadow models need the same columns, or every save fails to write its history row.
for model, options in [
    (Organisation, OrganisationTranslation),
    (CooperationGroup, CooperationGroupTranslation),
]:
    translator.register(model.history.model, options)  # type: ignore[attr-defined]
