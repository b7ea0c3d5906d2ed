import factory

from concord.network.models import (
    ContactPerson,
    CooperationGroup,
    Country,
    GroupMembership,
    Municipality,
    Organisation,
    OrganisationService,
    OrgType,
    Region,
    Sector,
    ServiceKind,
)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "AL"
    name = "Albania"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("country", "name")

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Region {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Municipality {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    org_type = OrgType.NGO
    sector = Sector.NGO
    region = factory.SubFactory(RegionFactory)
    country = factory.SelfAttribute("region.country")
    email = factory.Sequence(lambda n: f"office{n}@example.org")


class OrganisationServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationService

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ServiceKind.SHELTER


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Sequence(lambda n: f"Contact Person {n}")
    position = "Coordinator"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = "+355 69 000 0000"


class CooperationGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cooperation group {n}")
    level = CooperationGroup.Level.REGIONAL
    country = factory.SubFactory(CountryFactory)

    @factory.post_generation
    def member_organisations(
        self, create: bool, extracted: list[Organisation] | None, **kwargs: object
    ) -> None:
        for organisation in extracted or []:
            GroupMembership.objects.create(group=self, organisation=organisation)


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(CooperationGroupFactory)
    organisation = factory.SubFactory(OrganisationFactory)
