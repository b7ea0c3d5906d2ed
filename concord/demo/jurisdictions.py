"""The six countries of the demo network, their first-level regions and a few municipalities.

Regions carry their ISO 3166-2 code where one exists (from pycountry). Kosovo's districts and North
Macedonia's statistical regions have none: ISO lists North Macedonia's municipalities instead.
Jurisdictions are shared vocabulary, not demo data: they are updated in place, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pycountry

from concord.network.models import Country, Municipality, Region


@dataclass(frozen=True)
class Names:
    """A name in English and, where natural, in Albanian, Serbian (Latin and Cyrillic) and Macedonian."""

    en: str
    sq: str = ""
    sr_latn: str = ""
    sr: str = ""
    mk: str = ""

    def columns(self) -> dict[str, str | None]:
        """The modeltranslation columns; empty ones stay NULL so the language falls back."""
        return {
            "name": self.en,
            "name_en": self.en,
            "name_sq": self.sq or None,
            "name_sr_latn": self.sr_latn or None,
            "name_sr": self.sr or None,
            "name_mk": self.mk or None,
        }


@dataclass(frozen=True)
class RegionSpec:
    names: Names
    code: str = ""
    municipalities: tuple[str, ...] = field(default=())


COUNTRIES: dict[str, Names] = {
    "AL": Names("Albania", "Shqipëria", "Albanija", "Албанија", "Албанија"),
    # XK: the code the EU, IOM and the World Bank use for Kosovo.
    "XK": Names("Kosovo", "Kosova", "Kosovo", "Косово", "Косово"),
    "MK": Names(
        "North Macedonia",
        "Maqedonia e Veriut",
        "Severna Makedonija",
        "Северна Македонија",
        "Северна Македонија",
    ),
    "ME": Names("Montenegro", "Mali i Zi", "Crna Gora", "Црна Гора", "Црна Гора"),
    "RS": Names("Serbia", "Serbia", "Srbija", "Србија", "Србија"),
    "BA": Names(
        "Bosnia and Herzegovina",
        "Bosnja dhe Hercegovina",
        "Bosna i Hercegovina",
        "Босна и Херцеговина",
        "Босна и Херцеговина",
    ),
}

# Albania's twelve qarks, by ISO 3166-2 code; pycountry names them "Korçë County" and so on.
ALBANIAN_MUNICIPALITIES: dict[str, tuple[str, ...]] = {
    "AL-02": ("Durrës", "Shijak", "Krujë"),
    "AL-05": ("Gjirokastër", "Tepelenë", "Përmet"),
    "AL-06": ("Korçë", "Pogradec", "Devoll", "Kolonjë", "Maliq", "Pustec"),
    "AL-11": ("Tiranë", "Kamëz", "Vorë", "Kavajë", "Rrogozhinë"),
    "AL-12": ("Vlorë", "Sarandë", "Himarë", "Delvinë", "Selenicë", "Finiq", "Konispol"),
}

KOSOVO_DISTRICTS = (
    RegionSpec(
        Names("Prishtinë", "Prishtinë", "Priština", "Приштина"),
        municipalities=("Prishtinë", "Fushë Kosovë", "Podujevë", "Obiliq"),
    ),
    RegionSpec(
        Names("Prizren", "Prizren", "Prizren", "Призрен"), municipalities=("Prizren", "Suharekë", "Dragash")
    ),
    RegionSpec(Names("Pejë", "Pejë", "Peć", "Пећ")),
    RegionSpec(Names("Mitrovicë", "Mitrovicë", "Mitrovica", "Митровица")),
    RegionSpec(Names("Gjakovë", "Gjakovë", "Đakovica", "Ђаковица")),
    RegionSpec(Names("Gjilan", "Gjilan", "Gnjilane", "Гњилане")),
    RegionSpec(Names("Ferizaj", "Ferizaj", "Uroševac", "Урошевац")),
)

NORTH_MACEDONIAN_REGIONS = (
    RegionSpec(
        Names("Skopje Region", "Rajoni i Shkupit", mk="Скопски регион"),
        municipalities=("Centar", "Čair", "Karpoš", "Gazi Baba"),
    ),
    RegionSpec(
        Names("Pelagonia Region", "Rajoni i Pellagonisë", mk="Пелагониски регион"),
        municipalities=("Bitola", "Prilep"),
    ),
    RegionSpec(
        Names("Polog Region", "Rajoni i Pollogut", mk="Полошки регион"), municipalities=("Tetovo", "Gostivar")
    ),
    RegionSpec(
        Names("Southwest Region", "Rajoni Jugperëndimor", mk="Југозападен регион"),
        municipalities=("Ohrid", "Struga"),
    ),
    RegionSpec(Names("Vardar Region", "Rajoni i Vardarit", mk="Вардарски регион")),
    RegionSpec(Names("East Region", "Rajoni Lindor", mk="Источен регион")),
    RegionSpec(Names("Southeast Region", "Rajoni Juglindor", mk="Југоисточен регион")),
    RegionSpec(Names("Northeast Region", "Rajoni Verilindor", mk="Североисточен регион")),
)

BOSNIAN_ENTITIES = (
    RegionSpec(
        Names(
            "Federation of Bosnia and Herzegovina",
            sr_latn="Federacija Bosne i Hercegovine",
            sr="Федерација Босне и Херцеговине",
        ),
        code="BA-BIH",
        municipalities=("Sarajevo Centar", "Mostar", "Tuzla"),
    ),
    RegionSpec(
        Names("Republika Srpska", sr_latn="Republika Srpska", sr="Република Српска"),
        code="BA-SRP",
        municipalities=("Banja Luka", "Bijeljina"),
    ),
    RegionSpec(Names("Brčko District", sr_latn="Brčko distrikt", sr="Брчко дистрикт"), code="BA-BRC"),
)

SERBIAN_MUNICIPALITIES: dict[str, tuple[str, ...]] = {
    "RS-00": ("Stari Grad", "Novi Beograd"),
    "RS-06": ("Novi Sad",),
    "RS-20": ("Niš",),
}
# Serbia's districts in Kosovo (RS-25 to RS-29) are left out: the demo network treats Kosovo as XK,
# as the EU and IOM do, and listing both would count the same places twice.
SERBIAN_DISTRICTS_IN_KOSOVO = {"RS-25", "RS-26", "RS-27", "RS-28", "RS-29"}

MONTENEGRIN_MUNICIPALITIES_NAMED = {"Herceg-Novi": "Herceg Novi"}


def _albanian_regions() -> list[RegionSpec]:
    specs = []
    for subdivision in pycountry.subdivisions.get(country_code="AL") or []:
        name = subdivision.name.removesuffix(" County")
        specs.append(
            RegionSpec(Names(name, name), subdivision.code, ALBANIAN_MUNICIPALITIES.get(subdivision.code, ()))
        )
    return specs


def _montenegrin_regions() -> list[RegionSpec]:
    # Montenegro has no level between the state and its 25 municipalities; they serve as regions.
    specs = []
    for subdivision in pycountry.subdivisions.get(country_code="ME") or []:
        name = MONTENEGRIN_MUNICIPALITIES_NAMED.get(subdivision.name, subdivision.name)
        specs.append(RegionSpec(Names(name, sr_latn=name), subdivision.code))
    return specs


def _serbian_regions() -> list[RegionSpec]:
    specs = []
    for subdivision in pycountry.subdivisions.get(country_code="RS") or []:
        if subdivision.type not in {"City", "District"} or subdivision.code in SERBIAN_DISTRICTS_IN_KOSOVO:
            continue
        names = (
            Names("Belgrade", "Beogradi", "Beograd", "Београд", "Белград")
            if subdivision.code == "RS-00"
            else Names(subdivision.name, sr_latn=subdivision.name)
        )
        specs.append(RegionSpec(names, subdivision.code, SERBIAN_MUNICIPALITIES.get(subdivision.code, ())))
    return specs


def region_specs() -> dict[str, list[RegionSpec]]:
    return {
        "AL": _albanian_regions(),
        "XK": list(KOSOVO_DISTRICTS),
        "MK": list(NORTH_MACEDONIAN_REGIONS),
        "ME": _montenegrin_regions(),
        "RS": _serbian_regions(),
        "BA": list(BOSNIAN_ENTITIES),
    }


@dataclass
class Jurisdictions:
    """What the rest of the demo refers to: countries by code, regions and municipalities by name."""

    countries: dict[str, Country]
    regions: dict[tuple[str, str], Region]
    municipalities: dict[tuple[str, str], Municipality]

    def region(self, country: str, name: str) -> Region:
        return self.regions[(country, name)]

    def municipality(self, country: str, name: str) -> Municipality:
        return self.municipalities[(country, name)]

    def regions_of(self, country: str) -> list[Region]:
        return [region for (code, _name), region in self.regions.items() if code == country]


def load_jurisdictions() -> Jurisdictions:
    """Create or update the countries, regions and municipalities (idempotent)."""
    countries: dict[str, Country] = {}
    regions: dict[tuple[str, str], Region] = {}
    municipalities: dict[tuple[str, str], Municipality] = {}
    for code, names in COUNTRIES.items():
        country, _created = Country.objects.update_or_create(code=code, defaults=names.columns())
        countries[code] = country
    for code, specs in region_specs().items():
        for spec in specs:
            region, _created = Region.objects.update_or_create(
                country=countries[code],
                name_en=spec.names.en,
                defaults={**spec.names.columns(), "code": spec.code},
            )
            regions[(code, spec.names.en)] = region
            for municipality_name in spec.municipalities:
                municipality, _created = Municipality.objects.get_or_create(
                    region=region, name=municipality_name
                )
                municipalities[(code, municipality_name)] = municipality
    return Jurisdictions(countries, regions, municipalities)
