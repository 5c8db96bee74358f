"""Build docmine's own reference tables (``corpora/reference/*.csv``) from the public data in ``../shared``.

Every table is derived (selected columns, normalised codes, generated aliases, cross-checks), never copied;
``SOURCES.md`` records where each column comes from.
Run: ``python scripts/build_reference.py [--shared DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "corpora" / "reference"

GEM = "data/reference/gemeenten"
TABEL33 = f"{GEM}/rvig_tabel33_gemeententabel.csv (RvIG Tabel 33, gemeenteshertogenbosch/landelijketabellencatalogus@628956107ff4)"
REDIRECTS = f"{GEM}/gmRedirects.js (minvws/nl-covid19-data-dashboard@e32c09ef)"
FORMER = f"{GEM}/former_gemeenten_since_2015.csv"
# Text files under ../shared/data that may attest a name written from memory in the lists below: a name (or an
# alias) stays only where one of them states it, and that file becomes the row's source. eval-only is never read.
ATTEST_DIRS = ("docs", "retrieval", "reference")
ATTEST_SUFFIXES = {".md", ".xml", ".json", ".txt", ".html", ".tsv", ".jsonl", ".csv", ".js", ".ts"}

# fmt: off
PROVINCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Drenthe", "NL-DR", ()),
    ("Flevoland", "NL-FL", ()),
    ("Fryslân", "NL-FR", ("Friesland", "Fryslan")),
    ("Gelderland", "NL-GE", ()),
    ("Groningen", "NL-GR", ()),
    ("Limburg", "NL-LI", ("Limburg (NL)",)),
    ("Noord-Brabant", "NL-NB", ("Noord Brabant", "Brabant")),
    ("Noord-Holland", "NL-NH", ("Noord Holland",)),
    ("Overijssel", "NL-OV", ()),
    ("Utrecht", "NL-UT", ()),
    ("Zeeland", "NL-ZE", ()),
    ("Zuid-Holland", "NL-ZH", ("Zuid Holland",)),
)

# Official or common second names; Frisian names are the municipality's own Frisian/Dutch counterpart.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "GM0518": ("Den Haag", "'s Gravenhage", "s-Gravenhage"),
    "GM0796": ("Den Bosch", "'s Hertogenbosch", "s-Hertogenbosch"),
    "GM0164": ("Hengelo", "Hengelo (O)", "Hengelo (Ov.)", "Hengelo Ov"),
    "GM0373": ("Bergen (NH)", "Bergen NH", "Bergen (N-H)", "Bergen (N.H.)"),
    "GM0893": ("Bergen (L)", "Bergen L", "Bergen (Lb)", "Bergen (L)"),
    "GM0820": ("Nuenen",),
    "GM1900": ("Sudwest-Fryslan", "Súdwest Fryslân", "Zuidwest-Friesland", "SWF"),
    "GM1970": ("Noardeast-Fryslan", "Noordoost-Friesland"),
    "GM1940": ("De Fryske Marren", "De Fryske Marren", "De Friese Meren"),
    "GM0737": ("Tietjerksteradeel",),
    "GM1891": ("Dantumadeel",),
    "GM0080": ("Ljouwert",),
    "GM0074": ("It Hearrenfean",),
    "GM0072": ("Harns",),
    "GM0085": ("Eaststellingwerf",),
    "GM0086": ("Opsterlân",),
    "GM0088": ("Skiermûntseach",),
    "GM0090": ("Smellingerlân",),
    "GM0093": ("Skylge",),
    "GM0096": ("Flylân",),
    "GM0060": ("It Amelân",),
}

# Region aliases beyond the generated "regio X" / "jeugdregio X" / "jeugdzorgregio X".
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "Holland-Rijnland": ("Holland Rijnland",),
    "Rijnmond": ("Jeugdhulp Rijnmond", "Rotterdam-Rijnmond"),
    "Friesland": ("Fryslân",),
    "Zuidoost Brabant": ("Zuidoost-Brabant",),
    "Midden Brabant": ("Midden-Brabant", "Hart van Brabant"),
    "Noordoost-Brabant": ("Noordoost Brabant", "Noord-Oost Brabant"),
    "Gooi- en Vechtstreek": ("Gooi en Vechtstreek",),
    "Food Valley": ("FoodValley",),
    "Rijk van Nijmegen": (),
    "Arnhem": ("Centraal Gelderland",),
    "Midden IJssel/Oost Veluwe": ("Midden-IJssel/Oost-Veluwe",),
    "Noord Veluwe": ("Noord-Veluwe",),
}

# A bare region name only counts as the region when it cannot be a municipality or province.
REGION_BARE_OK = {
    "Achterhoek", "Amsterdam-Amstelland", "Eemland", "Food Valley", "Gooi- en Vechtstreek", "Haaglanden",
    "Holland-Rijnland", "IJsselland", "Kop van Noord-Holland", "Lekstroom", "Midden Brabant",
    "Midden IJssel/Oost Veluwe", "Midden Kennemerland", "Midden-Holland", "Midden-Limburg Oost",
    "Midden-Limburg West", "Noord Veluwe", "Noord-Kennemerland", "Noord-Limburg", "Noordoost-Brabant",
    "Rijk van Nijmegen", "Rijnmond", "Rivierenland", "Twente", "Utrecht West", "West-Brabant Oost",
    "West-Brabant West", "West-Friesland", "Zaanstreek-Waterland", "Zuid-Holland-Zuid", "Zuid-Kennemerland",
    "Zuid-Limburg", "Zuidoost Brabant", "Zuidoost-Utrecht",
}

# (canonical, aliases, kind); kept only when the name is attested in a source list (build_providers).
PROVIDER_SEEDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Accare", ("Accare kinder- en jeugdpsychiatrie",), "jeugd-ggz"),
    ("Alliade", ("Alliade Jeugdzorg",), "jeugdhulp"),
    ("Ambiq", (), "jeugdhulp"),
    ("Arkin", ("Arkin Jeugd & Gezin",), "jeugd-ggz"),
    ("Bureau Jeugdzorg Limburg", (), "jeugdbescherming"),
    ("Bureau Jeugdzorg Noord-Brabant", (), "jeugdbescherming"),
    ("Cardea", (), "jeugdhulp"),
    ("Combinatie Jeugdzorg", (), "jeugdhulp"),
    ("Cordaan", (), "jeugdhulp"),
    ("Curium-LUMC", ("LUMC Curium", "Curium"), "jeugd-ggz"),
    ("De Bascule", (), "jeugd-ggz"),
    ("Elker", ("Elker Jeugdhulp & Onderwijs",), "jeugdhulp"),
    ("Entrea Lindenhout", ("Entréa Lindenhout", "Lindenhout"), "jeugdhulp"),
    ("Fier", ("Fier Fryslân",), "jeugdhulp"),
    ("GGz Centraal", (), "ggz"),
    ("Horizon Jeugdzorg", ("Horizon Jeugdzorg+", "Horizon Jeugdzorg en Onderwijs"), "jeugdhulp"),
    ("Impegno", ("Impegno Jeugd en Gezin",), "jeugd-ggz"),
    ("Intermetzo", (), "jeugdhulp"),
    ("Ipse de Bruggen", (), "gehandicaptenzorg"),
    ("Jeugdformaat", (), "jeugdhulp"),
    ("Jeugdhulp Friesland", (), "jeugdhulp"),
    ("Karakter", ("Karakter kinder- en jeugdpsychiatrie",), "jeugd-ggz"),
    ("Kenter Jeugdhulp", ("Kenter",), "jeugdhulp"),
    ("Kompaan en De Bocht", (), "jeugdhulp"),
    ("Koraal", ("Koraal Groep",), "jeugdhulp"),
    ("Leger des Heils", ("Leger des Heils Jeugdbescherming & Reclassering",
        "Leger des Heils Jeugdzorg en Reclassering"), "jeugdbescherming"),
    ("Levvel", (), "jeugdhulp"),
    ("Lijn5", ("Lijn 5",), "jeugdhulp"),
    ("Nidos", (), "jeugdbescherming"),
    ("Oosterpoort", (), "jeugdhulp"),
    ("Pactum", (), "jeugdhulp"),
    ("Parlan", ("Parlan Jeugdhulp",), "jeugdhulp"),
    ("Philadelphia", ("Philadelphia Zorg",), "gehandicaptenzorg"),
    ("Pluryn", (), "jeugdhulp"),
    ("Pro Persona", (), "ggz"),
    ("Rubicon Jeugdzorg", (), "jeugdhulp"),
    ("Samen Veilig Midden-Nederland", (), "jeugdbescherming"),
    ("Schakenbosch", (), "jeugdhulp"),
    ("Stichting Jeugdbescherming West Zeeland", (), "jeugdbescherming"),
    ("Timon", ("Timon Jeugdzorg",), "jeugdhulp"),
    ("Trias Jeugdhulp", (), "jeugdhulp"),
    ("Xonar", (), "jeugdhulp"),
    ("Youké", ("Youke",), "jeugdhulp"),
    ("Youz", (), "jeugd-ggz"),
    ("Yulius", (), "jeugd-ggz"),
    ("'s Heeren Loo", ("s Heeren Loo",), "gehandicaptenzorg"),
    ("Altrecht", (), "ggz"),
    ("Dimence", (), "ggz"),
    ("Emergis", (), "ggz"),
    ("Lentis", (), "ggz"),
    ("Parnassia", ("Parnassia Groep",), "ggz"),
    ("GGZ Rivierduinen", ("Rivierduinen",), "ggz"),
    ("Mediant", (), "ggz"),
    ("GGz Breburg", (), "ggz"),
    ("GGZ Oost Brabant", (), "ggz"),
    ("GGZ Delfland", (), "ggz"),
    ("Icare", ("Icare JGZ",), "jeugdgezondheidszorg"),
)

# Certified institutions (gecertificeerde instellingen): public registrations absent from both lists.
PROVIDER_CURATED: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("William Schrikker Groep", ("WSG",
        "William Schrikker Stichting Jeugdbescherming & Jeugdreclassering"), "jeugdbescherming"),
    ("Jeugdbescherming Rotterdam Rijnmond", ("JBRR",), "jeugdbescherming"),
    ("Jeugdbescherming Regio Amsterdam", ("Jeugdbescherming Amsterdam",), "jeugdbescherming"),
    ("Jeugdbescherming west", ("Jeugdbescherming West",), "jeugdbescherming"),
    ("Jeugdbescherming Gelderland", (), "jeugdbescherming"),
    ("Jeugdbescherming Brabant", (), "jeugdbescherming"),
    ("Jeugdbescherming Noord", (), "jeugdbescherming"),
    ("Jeugdbescherming Overijssel", (), "jeugdbescherming"),
    ("Incluzio", ("Incluzio Jeugd",), "sociaal domein"),
    ("Amsterdam UMC", (), "ziekenhuis"),
    ("Erasmus MC", ("Erasmus MC-Sophia", "Sophia Kinderziekenhuis"), "ziekenhuis"),
    ("UMC Utrecht", ("Universitair Medisch Centrum Utrecht", "Wilhelmina Kinderziekenhuis"), "ziekenhuis"),
    ("UMCG", ("Universitair Medisch Centrum Groningen", "UMC Groningen"), "ziekenhuis"),
    ("Radboudumc", ("Radboud UMC", "Radboud universitair medisch centrum"), "ziekenhuis"),
    ("LUMC", ("Leids Universitair Medisch Centrum",), "ziekenhuis"),
    ("Maastricht UMC+", ("MUMC+", "Maastricht UMC"), "ziekenhuis"),
    ("Spirit", ("Spirit Jeugd en Opvoedhulp",), "jeugdhulp"),
    ("iHUB", (), "jeugdhulp"),
    ("Jeugdbescherming Noord-Holland", (), "jeugdbescherming"),
)

LAWS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Jeugdwet", (), "BWBR0034925"),
    ("Wet op de jeugdzorg", ("Wjz", "Wet op de Jeugdzorg"), "BWBR0016637"),
    ("Wet maatschappelijke ondersteuning 2015", ("Wmo 2015", "WMO 2015", "Wmo", "WMO",
        "Wet maatschappelijke ondersteuning"), "BWBR0035362"),
    ("Wet open overheid", ("Woo", "WOO"), "BWBR0045754"),
    ("Wet openbaarheid van bestuur", ("Wob", "WOB"), "BWBR0005252"),
    ("Aanbestedingswet 2012", ("Aanbestedingswet", "Aw 2012"), "BWBR0032203"),
    ("Aanbestedingsbesluit", (), "BWBR0032919"),
    ("Gemeentewet", ("Gemw",), "BWBR0005416"),
    ("Algemene wet bestuursrecht", ("Awb", "AWB", "Algemene Wet Bestuursrecht"), "BWBR0005537"),
    ("Wet gemeenschappelijke regelingen", ("Wgr", "WGR"), "BWBR0003740"),
    ("Financiële-verhoudingswet", ("Financiele-verhoudingswet", "Fvw",
        "Financiële verhoudingswet"), "BWBR0008290"),
    ("Besluit Jeugdwet", (), "BWBR0035779"),
    ("Regeling Jeugdwet", (), "BWBR0036007"),
    ("Algemene verordening gegevensbescherming", ("AVG", "GDPR"), "CELEX 32016R0679"),
    ("Wet bescherming persoonsgegevens", ("Wbp",), "BWBR0011468"),
    ("Wet langdurige zorg", ("Wlz",), "BWBR0035917"),
    ("Zorgverzekeringswet", ("Zvw",), "BWBR0018450"),
    ("Participatiewet", ("Wet werk en bijstand", "WWB"), "BWBR0015703"),
    ("Wet passend onderwijs", (), "BWBR0033116"),
    ("Wet kwaliteit, klachten en geschillen zorg", ("Wkkgz",), "BWBR0037173"),
    ("Wet verplichte meldcode huiselijk geweld en kindermishandeling",
        ("Wet verplichte meldcode",), "BWBR0033548"),
    ("Burgerlijk Wetboek", ("BW",), "BWBR0002656"),
    ("Auteurswet", (), "BWBR0001886"),
    ("Wet normering topinkomens", ("WNT",), "BWBR0032642"),
    ("Besluit begroting en verantwoording provincies en gemeenten", ("BBV",), "BWBR0014606"),
    ("Wet elektronische publicaties", ("Wep",), "BWBR0045086"),
    ("Grondwet", (), "BWBR0001840"),
    ("Omgevingswet", (), "BWBR0037885"),
    ("Wet publieke gezondheid", ("Wpg",), "BWBR0024705"),
    ("Wet verplichte geestelijke gezondheidszorg", ("Wvggz", "Wet verplichte ggz"), "BWBR0040635"),
    ("Wet zorg en dwang psychogeriatrische en verstandelijk gehandicapte cliënten",
        ("Wzd", "Wet zorg en dwang"), "BWBR0040632"),
    ("Wet toetreding zorgaanbieders", ("Wtza",), "BWBR0043976"),
    ("Wet medezeggenschap cliënten zorginstellingen 2018", ("Wmcz 2018", "Wmcz"), "BWBR0040673"),
    ("Wet marktordening gezondheidszorg", ("Wmg",), "BWBR0020078"),
    ("Algemene Wet Bijzondere Ziektekosten", ("AWBZ", "Awbz"), "BWBR0002614"),
    ("Wet inburgering 2021", (), "BWBR0044770"),
    ("Wet kinderopvang", (), "BWBR0017017"),
    ("Leerplichtwet 1969", ("Leerplichtwet",), "BWBR0002628"),
    ("Wet op het primair onderwijs", ("WPO", "Wpo"), "BWBR0003420"),
    ("Wet op het voortgezet onderwijs 2020", ("WVO 2020", "Wet op het voortgezet onderwijs"), "BWBR0044212"),
    ("Wet basisregistratie personen", ("Wet BRP",), "BWBR0033715"),
    ("Wet bevordering integriteitsbeoordelingen door het openbaar bestuur", ("Wet Bibob",), "BWBR0013798"),
    ("Wet justitiële en strafvorderlijke gegevens", ("Wjsg",), "BWBR0014194"),
    ("Wetboek van Strafrecht", ("Sr",), "BWBR0001854"),
    ("Wetboek van Strafvordering", ("Sv",), "BWBR0001903"),
    ("Wetboek van Burgerlijke Rechtsvordering", ("Rv",), "BWBR0001827"),
    ("Wet werk en inkomen naar arbeidsvermogen", ("WIA",), "BWBR0019057"),
    ("Wegenverkeerswet 1994", ("WVW 1994", "Wvw 1994", "Wegenverkeerswet"), "BWBR0006622"),
    ("Algemeen Rijksambtenarenreglement", ("ARAR",), "BWBR0001947"),
    ("Wet beveiliging netwerk- en informatiesystemen", ("Wbni",), "BWBR0041515"),
    ("Wet verzelfstandiging Staatsbosbeheer", (), ""),
    ("Wet voorkeursrecht gemeenten", ("Wvg",), ""),
    ("Archiefwet 1995", ("Archiefwet",), "BWBR0007376"),
    ("Provinciewet", (), "BWBR0005645"),
    ("Waterschapswet", (), "BWBR0005108"),
    ("Kieswet", (), "BWBR0004627"),
    ("Woningwet", (), "BWBR0005181"),
    ("Huisvestingswet 2014", ("Huisvestingswet",), "BWBR0035303"),
    ("Vreemdelingenwet 2000", ("Vw 2000", "Vreemdelingenwet"), "BWBR0011823"),
    ("Wet algemene bepalingen omgevingsrecht", ("Wabo",), "BWBR0024779"),
    ("Wet ruimtelijke ordening", ("Wro", "WRO"), "BWBR0020449"),
    ("Mededingingswet", (), "BWBR0008691"),
    ("Wet markt en overheid", (), "BWBR0032110"),
    ("Wet hergebruik van overheidsinformatie", (), "BWBR0036795"),
    ("Wet op de rechterlijke organisatie", ("Wet RO",), "BWBR0001830"),
    ("Ambtenarenwet 2017", ("Ambtenarenwet",), "BWBR0040375"),
    ("Wet politiegegevens", (), "BWBR0022463"),
    ("Wet veiligheidsregio's", ("Wvr",), "BWBR0027466"),
    ("Gezondheidswet", (), "BWBR0002001"),
    ("Geneesmiddelenwet", (), "BWBR0021505"),
    ("Wet op de beroepen in de individuele gezondheidszorg", ("Wet BIG",), "BWBR0006251"),
    ("Wet op de geneeskundige behandelingsovereenkomst", ("WGBO",), "BWBR0005290"),
    ("Wet op het financieel toezicht", ("Wft",), "BWBR0020368"),
    ("Uitvoeringswet AVG", ("UAVG",), "BWBR0040940"),
    ("Wet Digitale Overheid", ("Wdo",), "BWBR0048156"),
    ("Wet gemeentelijke schuldhulpverlening", ("Wgs",), "BWBR0031664"),
    ("Wet sociale werkvoorziening", ("Wsw",), "BWBR0008842"),
    ("Bouwbesluit 2012", ("Bouwbesluit",), "BWBR0030461"),
    ("Kaderrichtlijn Water", ("KRW",), "CELEX 32000L0060"),
    ("Vreemdelingenbesluit 2000", ("Vb 2000", "Vb", "Vreemdelingenbesluit"), "BWBR0011825"),
    ("Richtlijn Tijdelijke Bescherming", ("RTB", "richtlijn tijdelijke bescherming"), "CELEX 32001L0055"),
    ("Luchthavenindelingbesluit Schiphol", ("Luchthavenindelingbesluit", "LIB"), ""),
    ("Opvangrichtlijn", (), "CELEX 32013L0033"),
    ("Kwalificatierichtlijn", (), "CELEX 32011L0095"),
    ("Procedurerichtlijn", (), "CELEX 32013L0032"),
    ("Terugkeerrichtlijn", (), "CELEX 32008L0115"),
    ("Faillissementswet", ("Fw",), "BWBR0001860"),
)

ORGANIZATIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Vereniging van Nederlandse Gemeenten", ("VNG",), "koepel"),
    ("Transitie Autoriteit Jeugd", ("TAJ",), "toezicht"),
    ("Regionale Inkoop Gemeentelijke Gezondheidszorg", ("RIGG",), "inkooporganisatie"),
    ("Ministerie van Volksgezondheid, Welzijn en Sport", ("VWS", "ministerie van VWS",
        "Ministerie van VWS"), "ministerie"),
    ("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", ("BZK", "ministerie van BZK",
        "Ministerie van BZK"), "ministerie"),
    ("Ministerie van Justitie en Veiligheid", ("J&V", "JenV", "V&J", "VenJ", "ministerie van V&J",
        "ministerie van Veiligheid en Justitie", "Ministerie van Veiligheid en Justitie", "ministerie van J&V",
        "Ministerie van J&V", "ministerie van Justitie en Veiligheid"), "ministerie"),
    ("Ministerie van Financiën", ("ministerie van Financiën", "Ministerie van Financien"), "ministerie"),
    ("Ministerie van Onderwijs, Cultuur en Wetenschap", ("OCW", "ministerie van OCW"), "ministerie"),
    ("Ministerie van Sociale Zaken en Werkgelegenheid", ("SZW", "ministerie van SZW"), "ministerie"),
    ("Ministerie van Landbouw, Natuur en Voedselkwaliteit", ("LNV", "ministerie van LNV"), "ministerie"),
    ("Ministerie van Economische Zaken en Klimaat", ("EZK", "ministerie van EZK"), "ministerie"),
    ("Ministerie van Infrastructuur en Waterstaat", ("IenW", "ministerie van IenW"), "ministerie"),
    ("Inspectie Gezondheidszorg en Jeugd", ("IGJ", "Inspectie voor de Gezondheidszorg en Jeugd"), "toezicht"),
    ("Inspectie Jeugdzorg", (), "toezicht"),
    ("Nederlandse Zorgautoriteit", ("NZa",), "toezicht"),
    ("Autoriteit Consument & Markt", ("ACM", "Autoriteit Consument en Markt"), "toezicht"),
    ("Raad voor de Kinderbescherming", ("RvdK",), "overheid"),
    ("Nationale ombudsman", ("Nationale Ombudsman",), "overheid"),
    ("Kinderombudsman", ("Kinderombudsvrouw",), "overheid"),
    ("Algemene Rekenkamer", (), "overheid"),
    ("Raad van State", ("RvS", "Afdeling bestuursrechtspraak van de Raad van State", "ABRvS"), "rechtspraak"),
    ("Centraal Planbureau", ("CPB",), "overheid"),
    ("Sociaal en Cultureel Planbureau", ("SCP",), "overheid"),
    ("Centraal Bureau voor de Statistiek", ("CBS",), "overheid"),
    ("Jeugdzorg Nederland", (), "branche"),
    ("Nederlands Jeugdinstituut", ("NJi",), "kennisinstituut"),
    ("Pianoo", ("PIANOo",), "expertisecentrum"),
    ("Veilig Thuis", (), "overheid"),
    ("Ketenbureau i-Sociaal Domein", ("i-Sociaal Domein",), "overheid"),
    ("Partij van de Arbeid", ("PvdA",), "partij"),
    ("Volkspartij voor Vrijheid en Democratie", ("VVD",), "partij"),
    ("Christen-Democratisch Appèl", ("CDA", "Christen-Democratisch Appel"), "partij"),
    ("Democraten 66", ("D66",), "partij"),
    ("GroenLinks", ("Groen Links", "GroenLinks-PvdA", "GL-PvdA", "GL/PvdA"), "partij"),
    ("Socialistische Partij", ("SP",), "partij"),
    ("ChristenUnie", ("CU", "Christen Unie"), "partij"),
    ("Partij voor de Vrijheid", ("PVV",), "partij"),
    ("Partij voor de Dieren", ("PvdD",), "partij"),
    ("Staatkundig Gereformeerde Partij", ("SGP",), "partij"),
    ("50PLUS", ("50Plus",), "partij"),
    ("JA21", (), "partij"),
    ("BoerBurgerBeweging", ("BBB",), "partij"),
    ("Volt", ("Volt Nederland",), "partij"),
    ("DENK", (), "partij"),
    ("Forum voor Democratie", ("FvD", "FVD"), "partij"),
    ("Nieuw Sociaal Contract", ("NSC",), "partij"),
    ("Leefbaar Rotterdam", (), "lokale partij"),
    ("Groep de Mos", (), "lokale partij"),
    ("Hart voor Den Haag", (), "lokale partij"),
    ("Gemeentebelangen", (), "lokale partij"),
    ("Lokaal Belang", (), "lokale partij"),
    ("Dorpsbelangen", (), "lokale partij"),
    ("Stadsbelang", (), "lokale partij"),
    ("Ministerie van Algemene Zaken", ("ministerie van Algemene Zaken", "ministerie van AZ", "Ministerie van AZ"),
        "ministerie"),
    ("Ministerie van Buitenlandse Zaken", ("ministerie van Buitenlandse Zaken", "ministerie van BZ",
        "Ministerie van BZ"), "ministerie"),
    ("Ministerie van Defensie", ("ministerie van Defensie", "Defensie"), "ministerie"),
    ("Ministerie van Klimaat en Groene Groei", ("KGG", "ministerie van KGG"), "ministerie"),
    ("Ministerie van Volkshuisvesting en Ruimtelijke Ordening", ("VRO", "ministerie van VRO"), "ministerie"),
    ("Ministerie van Asiel en Migratie", ("ministerie van Asiel en Migratie",), "ministerie"),
    ("Tweede Kamer", ("Tweede Kamer der Staten-Generaal",), "parlement"),
    ("Eerste Kamer", ("Eerste Kamer der Staten-Generaal",), "parlement"),
    ("Staten-Generaal", (), "parlement"),
    ("Hoge Raad", ("Hoge Raad der Nederlanden", "HR"), "rechtspraak"),
    ("Centrale Raad van Beroep", ("CRvB", "Centrale Raad"), "rechtspraak"),
    ("College van Beroep voor het bedrijfsleven", ("CBb",), "rechtspraak"),
    ("Openbaar Ministerie", ("openbaar ministerie", "OM"), "rechtspraak"),
    ("Raad voor de rechtspraak", (), "rechtspraak"),
    ("Europees Hof voor de Rechten van de Mens", ("EHRM",), "rechtspraak"),
    ("Hof van Justitie van de Europese Unie", ("Hof van Justitie", "HvJ EU"), "rechtspraak"),
    ("Europese Commissie", (), "EU"),
    ("Europese Unie", (), "EU"),
    ("Europees Parlement", (), "EU"),
    ("Verenigde Naties", ("VN",), "internationaal"),
    ("Wereldgezondheidsorganisatie", ("WHO",), "internationaal"),
    ("Rijksinstituut voor Volksgezondheid en Milieu", ("RIVM",), "overheid"),
    ("Outbreak Management Team", ("OMT",), "overheid"),
    ("Ministeriële Commissie Crisisbeheersing", ("MCCb", "MCC-19"), "overheid"),
    ("Gezondheidsraad", (), "overheid"),
    ("Raad voor Volksgezondheid & Samenleving", ("RVS", "Raad voor Volksgezondheid en Samenleving"), "overheid"),
    ("Wetenschappelijke Raad voor het Regeringsbeleid", ("WRR",), "overheid"),
    ("Raad voor het Openbaar Bestuur", ("ROB",), "overheid"),
    ("Interprovinciaal Overleg", ("IPO",), "koepel"),
    ("Unie van Waterschappen", (), "koepel"),
    ("GGD GHOR Nederland", (), "koepel"),
    ("Zorginstituut Nederland", ("Zorginstituut", "ZIN"), "overheid"),
    ("Centraal Administratie Kantoor", ("CAK",), "overheid"),
    ("Centraal Orgaan opvang asielzoekers", ("COA",), "overheid"),
    ("Immigratie- en Naturalisatiedienst", ("IND",), "overheid"),
    ("Uitvoeringsinstituut Werknemersverzekeringen", ("UWV",), "overheid"),
    ("Sociale Verzekeringsbank", ("SVB",), "overheid"),
    ("Dienst Uitvoering Onderwijs", ("DUO",), "overheid"),
    ("Belastingdienst", (), "overheid"),
    ("Dienst Toeslagen", (), "overheid"),
    ("Rijkswaterstaat", (), "overheid"),
    ("Rijksdienst voor Ondernemend Nederland", ("RVO",), "overheid"),
    ("Nederlandse Voedsel- en Warenautoriteit", ("NVWA",), "toezicht"),
    ("Autoriteit Persoonsgegevens", ("AP",), "toezicht"),
    ("Nationaal Coördinator Terrorismebestrijding en Veiligheid", ("NCTV",), "overheid"),
    ("Nationale Politie", ("Politie Nederland",), "overheid"),
    ("Koninklijke Marechaussee", ("KMar",), "overheid"),
    ("Veiligheidsberaad", (), "overheid"),
    ("Kamer van Koophandel", ("KvK", "KVK"), "overheid"),
    ("Inspectie Justitie en Veiligheid", (), "toezicht"),
    ("Inspectie van het Onderwijs", ("Onderwijsinspectie", "Inspectie van het onderwijs"), "toezicht"),
    ("Zorgverzekeraars Nederland", (), "branche"),
    ("ActiZ", (), "branche"),
    ("de Nederlandse ggz", ("GGZ Nederland",), "branche"),
    ("Vereniging Gehandicaptenzorg Nederland", ("VGN",), "branche"),
    ("Sociaal Werk Nederland", (), "branche"),
    ("Movisie", (), "kennisinstituut"),
    ("Trimbos-instituut", ("Trimbos", "Trimbos Instituut"), "kennisinstituut"),
    ("Verwey-Jonker Instituut", (), "kennisinstituut"),
    ("Nivel", ("NIVEL",), "kennisinstituut"),
    ("TNO", (), "kennisinstituut"),
    ("Rathenau Instituut", (), "kennisinstituut"),
    ("Vilans", (), "kennisinstituut"),
    ("Berenschot", (), "adviesbureau"),
    ("KPMG", (), "adviesbureau"),
    ("PwC", ("PricewaterhouseCoopers",), "adviesbureau"),
    ("Deloitte", (), "adviesbureau"),
    ("EY", ("Ernst & Young",), "adviesbureau"),
    ("Andersson Elffers Felix", ("AEF",), "adviesbureau"),
    ("BMC", (), "adviesbureau"),
    ("Ecorys", (), "adviesbureau"),
    ("Regioplan", (), "adviesbureau"),
    ("Panteia", (), "adviesbureau"),
    ("SEO Economisch Onderzoek", (), "adviesbureau"),
    ("NOS", (), "media"),
    ("NRC", ("NRC Handelsblad",), "media"),
    ("Trouw", (), "media"),
    ("de Volkskrant", ("Volkskrant",), "media"),
    ("Het Parool", ("Parool",), "media"),
    ("Algemeen Dagblad", (), "media"),
    ("De Telegraaf", ("Telegraaf",), "media"),
    ("Follow the Money", ("FTM",), "media"),
    ("Binnenlands Bestuur", (), "media"),
    ("RTV Noord", (), "media"),
    ("Dagblad van het Noorden", (), "media"),
    ("Nieuwsuur", (), "media"),
    ("Zembla", (), "media"),
    ("Argos", (), "media"),
    ("ANP", (), "media"),
    ("RTL Nieuws", (), "media"),
    ("GGD", (), "overheid"),
    ("Centraal Bureau Rijvaardigheidsbewijzen", ("CBR",), "overheid"),
    ("NOC*NSF", (), "sport"),
    ("ProRail", (), "bedrijf"),
    ("Rabobank", (), "bedrijf"),
    ("Aedes", (), "branche"),
    ("Achmea", (), "zorgverzekeraar"),
    ("Zilveren Kruis", (), "zorgverzekeraar"),
    ("CZ", (), "zorgverzekeraar"),
    ("VGZ", (), "zorgverzekeraar"),
    ("Menzis", (), "zorgverzekeraar"),
    ("DSW", (), "zorgverzekeraar"),
    ("Raad voor Strafrechtstoepassing en Jeugdbescherming", ("RSJ", "Raad voor de Strafrechttoepassing en Jeugdbescherming",
        "Raad voor de Strafrechtstoepassing en Jeugdbescherming"), "overheid"),
    ("Algemene Inlichtingen- en Veiligheidsdienst", ("AIVD",), "overheid"),
    ("Militaire Inlichtingen- en Veiligheidsdienst", ("MIVD",), "overheid"),
    ("Koninklijk Nederlands Meteorologisch Instituut", ("KNMI",), "overheid"),
    ("Nederlandse Spoorwegen", ("NS",), "bedrijf"),
    ("UNHCR", (), "internationaal"),
    ("UNICEF", ("Unicef",), "internationaal"),
    ("Eurostat", (), "EU"),
    ("NTR", (), "media"),
    ("NPO", (), "media"),
    ("Leeuwarder Courant", (), "media"),
    ("LTO Nederland", ("LTO",), "branche"),
    ("Nationaal Cyber Security Centrum", ("NCSC",), "overheid"),
    ("Europees Centrum voor ziektepreventie en -bestrijding", ("ECDC",), "EU"),
    ("Planbureau voor de Leefomgeving", ("PBL",), "overheid"),
    ("Instituut Mijnbouwschade Groningen", ("IMG",), "overheid"),
    ("Uitvoeringsorganisatie Herstel Toeslagen", ("UHT",), "overheid"),
    ("Staatstoezicht op de Mijnen", ("SodM",), "toezicht"),
    ("Inspectie Leefomgeving en Transport", ("ILT",), "toezicht"),
    ("Kennisinstituut voor Mobiliteitsbeleid", ("KiM",), "kennisinstituut"),
    ("Wageningen University & Research", ("WUR", "Wageningen UR", "Wageningen University"), "kennisinstituut"),
    ("Wageningen Economic Research", (), "kennisinstituut"),
    ("Verbond van Verzekeraars", (), "branche"),
    ("Gasunie", ("N.V. Nederlandse Gasunie",), "bedrijf"),
    ("Euratom", ("EURATOM",), "EU"),
    ("Europese Centrale Bank", ("ECB",), "EU"),
    ("Rechtspraak", (), "rechtspraak"),
    ("Advies- en Meldpunt Kindermishandeling", ("AMK",), "overheid"),
    ("Gelderlander", (), "media"),  # "de Gelderlander": the article is no part of the name
    ("Vesteda", (), "bedrijf"),
    ("Delta Fiber Nederland", ("Delta Fiber",), "bedrijf"),
    ("Samenwerkende Hulporganisaties", ("Giro 555", "Giro555", "SHO"), "ngo"),
)

# Parties in the council JSON that are national parties or one-off fractions, not local parties.
GENERIC_PARTIES = {
    "BBA", "CDA", "ChristenUnie", "ChristenUnie/SGP", "D66", "D66/GROENLINKS", "Fractie Vermooten",
    "GroenLinks", "OCA", "Partij voor de Dieren", "PvdA", "SP", "VVD",
}

# Capitalised words that are first names in the deduce list but mostly ordinary words or places.
NOT_FIRST_NAMES = {
    "Alle", "Als", "April", "Artikel", "Augustus", "Bedrag", "Beleid", "Bij", "Born", "Brabant", "Buren",
    "Burgemeester", "Buurt", "College", "Dame", "Dan", "Dat", "De", "Deze", "Die", "Directeur", "Dit",
    "Domein", "Door", "Drenthe", "Ede", "Een", "Epe", "Ermelo", "Friesland", "Geen", "Gelderland", "Geloof",
    "Gemeente", "Groningen", "Hart", "Heer", "Heren", "Het", "Hoe", "Holland", "Hoop", "Horst", "Jaar",
    "Januari", "Jeugd", "Juli", "Juni", "Koning", "Leek", "Liefde", "Limburg", "Maan", "Maar", "Maart",
    "Meer", "Mei", "Met", "Minder", "Minister", "Niet", "Nog", "Ook", "Over", "Per", "Prins", "Provincie",
    "Putten", "Raad", "Regio", "Rijk", "Rijs", "Roos", "Sint", "Sociaal", "Staat", "Stad", "Ster", "Team",
    "Tiel", "Toen", "Totaal", "Utrecht", "Van", "Veel", "Venlo", "Voor", "Vrede", "Vrouw", "Waar", "Want",
    "Wat", "Wel", "Wet", "Wethouder", "Wie", "Wijk", "Zeeland", "Zo", "Zon", "Zorg",
}
# fmt: on


def norm(text: str) -> str:
    """Lowercase, strip accents and curly quotes: the key used to compare names across sources."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def write_csv(name: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = list(rows)
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def join(values: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip()
        if value:
            seen.setdefault(value, None)
    return "|".join(seen)


class Attestation:
    """Which text file under ``../shared/data`` states a name, and whether two names occur in the same text.

    A text is a file, or one record of a JSON-lines file (a whole corpus would let any two names co-occur)."""

    def __init__(self, data: Path) -> None:
        self.units: list[tuple[str, str]] = []
        for sub in ATTEST_DIRS:
            for path in sorted((data / sub).rglob("*")):
                if path.is_file() and path.suffix.lower() in ATTEST_SUFFIXES:
                    rel = path.relative_to(data.parent).as_posix()
                    self.units += [(rel, text) for text in _plain_texts(path)]

    def _units(self, name: str) -> list[int]:
        # the first letter in either case: "ministerie van VWS" is written "Ministerie van VWS" in a heading
        first = f"[{name[0].upper()}{name[0].lower()}]" if name[:1].isalpha() else re.escape(name[:1])
        pattern = re.compile(r"(?<![\w&])" + first + re.escape(name[1:]) + r"(?![\w&])")
        rest = name[1:]
        return [i for i, (_, text) in enumerate(self.units) if rest in text and pattern.search(text)]

    def where(self, name: str) -> list[str]:
        """Files (paths relative to ``../shared``) in which ``name`` occurs as written, between word boundaries."""
        return list(dict.fromkeys(self.units[i][0] for i in self._units(name)))

    def source(self, name: str, aliases: Iterable[str]) -> tuple[str, list[str]] | None:
        """The file that states ``name`` and the aliases stated in that same text; None if none states it.

        An alias is an assertion ("RIGG" is that body), so it is kept only where the text naming the body also
        writes the alias; the text chosen is the one that attests the most aliases."""
        units = self._units(name)
        if not units:
            return None
        alias_units = {alias: set(self._units(alias)) for alias in aliases}
        best = max(units, key=lambda u: sum(u in found for found in alias_units.values()))
        return self.units[best][0], [alias for alias, found in alias_units.items() if best in found]


def _plain_texts(path: Path) -> list[str]:
    """A file's text; JSON strings decoded (so "de\\nVereniging" reads as two words), one text per JSON line."""
    import json

    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() not in {".json", ".jsonl"}:
        return [text]

    def walk(value: object, strings: list[str]) -> list[str]:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item, strings)
        elif isinstance(value, list):
            for item in value:
                walk(item, strings)
        return strings

    texts = []
    for line in text.splitlines() if path.suffix.lower() == ".jsonl" else [text]:
        try:
            texts.append("\n".join(walk(json.loads(line), [])))
        except ValueError:
            texts.append(line)
    return texts


ATTESTED: Attestation | None = None


def attested(name: str, aliases: Iterable[str] = ()) -> tuple[str, list[str]] | None:
    """``Attestation.source`` over the files read by ``main``."""
    if ATTESTED is None:
        raise RuntimeError("main() builds the attestation index first")
    return ATTESTED.source(name, aliases)


def name_variants(name: str) -> list[str]:
    """Spelling variants people write: hyphen/space swaps, a/d for 'aan de(n)', accents dropped."""
    variants = [name]
    if "-" in name:
        variants.append(name.replace("-", " "))
    if re.fullmatch(r"[A-Za-zÀ-ÿ]+ [A-Za-zÀ-ÿ]+", name):
        variants.append(name.replace(" ", "-"))
    for long in (" aan den ", " aan de "):
        if long in name:
            variants.append(name.replace(long, " a/d "))
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    if folded != name:
        variants.append(folded)
    return variants[1:]


def build_provinces() -> dict[str, str]:
    # the names are those of the regioatlas province table; the codes are ISO 3166-2:NL's, a public standard
    atlas = f"{GEM}/regioatlas2016_provincies.csv"
    rows = []
    for name, iso, aliases in PROVINCES:
        found = attested(name, aliases)
        kept = found[1] if found else []
        rows.append((name, iso, join(kept), f"{atlas}; ISO 3166-2:NL"))
    write_csv("provinces.csv", ("name", "iso", "aliases", "source"), rows)
    lookup = {norm(name): iso for name, iso, _ in PROVINCES}
    lookup.update({norm(alias): iso for _, iso, aliases in PROVINCES for alias in aliases})
    return lookup


def build_municipalities(shared: Path, province_iso: dict[str, str]) -> dict[str, str]:
    gem = shared / "gemeenten"
    rows = read_csv(gem / "gemeenten_342_derived.csv")
    atlas_prov = {r["CBS"]: r["Provincies"] for r in read_csv(gem / "regioatlas2016_provincies.csv", ";")}
    tabel33_names = {
        r["92.10 Gemeentecode"]: r["92.11 Omschrijving"] for r in read_csv(gem / "rvig_tabel33_gemeententabel.csv")
    }
    iso_name = {iso: name for name, iso, _ in PROVINCES}
    out = []
    names: dict[str, str] = {}
    for row in rows:
        code = row["gm_code"]
        iso = province_iso.get(norm(row["provincie_via_vr"]))
        atlas = atlas_prov.get(row["cbs_code"])
        if iso is None and atlas:  # the VR->province map misfiles GM0820 under its VR name
            iso = province_iso[norm(atlas)]
        if iso is None:
            raise SystemExit(f"no province for {code} {row['name']}")
        if atlas and province_iso[norm(atlas)] != iso:
            raise SystemExit(f"province mismatch for {code}: {iso} vs regioatlas {atlas}")
        extra = [a for a in EXTRA_ALIASES.get(code, ()) if ATTESTED is not None and ATTESTED.where(a)]
        aliases = [row["display_name"], *extra]
        old = tabel33_names.get(row["cbs_code"])
        if old and old != row["name"]:
            aliases.append(old)
        for name in [row["name"], *aliases]:
            if name:
                aliases.extend(name_variants(name))
        aliases = [a for a in aliases if a and a != row["name"]]
        names[code] = row["name"]
        out.append(
            (
                code,
                row["name"],
                iso_name[iso],
                iso,
                join(aliases),
                row["jeugdzorgregio_2016_if_code_unchanged"],
                f"{GEM}/gemeenten_342_derived.csv (gm.ts @e32c09ef)",
            )
        )
    if len(out) != 342:
        raise SystemExit(f"expected 342 municipalities, got {len(out)}")
    write_csv(
        "municipalities.csv",
        ("gm_code", "name", "province", "province_iso", "aliases", "jeugdzorgregio_2016", "source"),
        sorted(out),
    )
    return names


def check_former(
    row: dict[str, str], tabel33: dict[str, dict[str, str]], current: dict[str, str], atlas: dict[str, str]
) -> str:
    """Say how far the fetched files back a former-municipality row (Tabel 33, 2023 list, regioatlas 2016)."""
    old = row["old_cbs_code"]
    t = tabel33.get(old)
    successors = row["new_cbs_code"].split(";")
    if row["source"].startswith("RvIG"):
        ok = t and t["92.12 Nieuwe code"] == row["new_cbs_code"] and t["99.99 Datum einde"] == row["end_date"]
        return "ok: Tabel 33 row matches" if ok else "MISMATCH with Tabel 33"
    if row["source"].startswith("MANUAL"):
        notes = []
        if t and not t["92.12 Nieuwe code"] and not t["99.99 Datum einde"]:
            notes.append("Tabel 33 (to 2019-01-01) still active: ended after 2019-01-01")
        notes.append("absent from 2023 list" if f"GM{old}" not in current else "STILL in 2023 list")
        notes.append("in regioatlas 2016" if old in atlas else "not in regioatlas 2016")
        live = [s for s in successors if f"GM{s}" in current]
        notes.append(f"successors in 2023 list: {len(live)}/{len(successors)}")
        new_codes = [s for s in successors if s not in atlas]
        if new_codes:
            notes.append(f"{','.join(new_codes)} is new since 2016 and not in Tabel 33")
        notes.append("end date 2021-01-01 not in any file")
        return "partly: " + "; ".join(notes)
    return "ok: gmRedirects.js lists old->new; end date in no file under ../shared, left empty"


def resolve(code: str, successor: dict[str, list[str]], current: dict[str, str]) -> list[str]:
    if f"GM{code}" in current:
        return [f"GM{code}"]
    result: list[str] = []
    for nxt in successor.get(code, []):
        result.extend(c for c in resolve(nxt, successor, current) if c not in result)
    return result


def build_former(shared: Path, current: dict[str, str]) -> None:
    gem = shared / "gemeenten"
    rows = read_csv(gem / "former_gemeenten_since_2015.csv")
    tabel33 = {r["92.10 Gemeentecode"]: r for r in read_csv(gem / "rvig_tabel33_gemeententabel.csv")}
    atlas = {r["CBS"]: r["Gemeente"] for r in read_csv(gem / "regioatlas2016_provincies.csv", ";")}
    successor = {r["old_cbs_code"]: r["new_cbs_code"].split(";") for r in rows}
    out = []
    for row in rows:
        old = row["old_cbs_code"]
        end = row["end_date"]
        # a date that no file states stays empty (dates known only from memory are not written)
        end = f"{end[:4]}-{end[4:6]}-{end[6:]}" if re.fullmatch(r"\d{8}", end) else ""
        # the shared file marks a few rows MANUAL (unverified there); they stay, sourced to that file, flagged
        source = f"{FORMER} (row marked MANUAL there: unverified)"
        if row["source"].startswith("minvws"):
            source = REDIRECTS
        elif row["source"].startswith("RvIG"):
            source = TABEL33
        out.append(
            (
                f"GM{old}",
                row["old_name"],
                ";".join(f"GM{c}" for c in row["new_cbs_code"].split(";")),
                row["new_name"],
                end,
                ";".join(resolve(old, successor, current)),
                source,
                check_former(row, tabel33, current, atlas),
            )
        )
    write_csv(
        "former_municipalities.csv",
        (
            "gm_code",
            "name",
            "successor_gm_codes",
            "successor_names",
            "end_date",
            "current_gm_codes",
            "source",
            "checked",
        ),
        sorted(out),
    )


def build_historic(shared: Path, current: dict[str, str]) -> None:
    """Municipalities that ended before 2015 (Tabel 33), for "gemeente X" in older texts (rulings, Wob files)."""
    gem = shared / "gemeenten"
    tabel33 = [r for r in read_csv(gem / "rvig_tabel33_gemeententabel.csv") if r["92.10 Gemeentecode"] != "0000"]
    former = read_csv(OUT / "former_municipalities.csv")
    successor = {r["92.10 Gemeentecode"]: [r["92.12 Nieuwe code"]] for r in tabel33 if r["92.12 Nieuwe code"]}
    successor.update({r["gm_code"][2:]: [c[2:] for c in r["current_gm_codes"].split(";")] for r in former})
    taken = {norm(name) for name in current.values()} | {norm(r["name"]) for r in former}
    with (OUT / "municipalities.csv").open(encoding="utf-8", newline="") as handle:
        taken |= {norm(a) for row in csv.DictReader(handle) for a in row["aliases"].split("|") if a}
    out: dict[str, tuple[str, ...]] = {}
    for row in tabel33:
        code, name, end = row["92.10 Gemeentecode"], row["92.11 Omschrijving"], row["99.99 Datum einde"]
        if not re.fullmatch(r"\d{8}", end) or end >= "20150101" or norm(name) in taken:
            continue
        now = resolve(code, successor, current)
        if not now:
            continue
        row_out = (f"GM{code}", name, f"{end[:4]}-{end[4:6]}-{end[6:]}", ";".join(now),
                   ";".join(current[c] for c in now), TABEL33)  # fmt: skip
        if name not in out or row_out[2] > out[name][2]:  # a name reused after a re-coding: the last one
            out[name] = row_out
    write_csv(
        "historic_municipalities.csv",
        ("gm_code", "name", "end_date", "current_gm_codes", "current_names", "source"),
        sorted(out.values()),
    )


def build_regions(shared: Path, current: dict[str, str]) -> None:
    gem = shared / "gemeenten"
    former = {r["gm_code"][2:]: r["current_gm_codes"].split(";") for r in read_csv(OUT / "former_municipalities.csv")}
    members: dict[str, list[str]] = defaultdict(list)
    for row in read_csv(gem / "regioatlas2016_jeugdzorgregios1.csv", ";"):
        members[row["Jeugdzorgregio's"]].append(row["CBS"])
    out = []
    for name, codes in sorted(members.items()):
        now: list[str] = []
        for code in codes:
            for c in [f"GM{code}"] if f"GM{code}" in current else former.get(code, []):
                if c not in now:
                    now.append(c)
        aliases = [a for a in REGION_ALIASES.get(name, ()) if ATTESTED is not None and ATTESTED.where(a)]
        for base in [name, *aliases]:
            aliases += [
                f"{prefix} {base}"
                for prefix in (
                    "regio",
                    "jeugdregio",
                    "jeugdzorgregio",
                    "Jeugdregio",
                    "Regio",
                    "Jeugdzorgregio",
                )
            ]
        bare = "yes" if name in REGION_BARE_OK else "no"
        out.append(
            (
                name,
                join(a for a in aliases if a != name),
                bare,
                ";".join(f"GM{c}" for c in sorted(codes)),
                ";".join(sorted(now)),
                f"{GEM}/regioatlas2016_jeugdzorgregios1.csv (openstate/datasets@7096b761)",
            )
        )
    if len(out) != 42:
        raise SystemExit(f"expected 42 jeugdzorgregio's, got {len(out)}")
    write_csv(
        "youth_regions.csv",
        ("name", "aliases", "bare_name_ok", "member_gm_codes_2016", "member_gm_codes_current", "source"),
        out,
    )


def build_providers(shared: Path) -> None:
    deduce = [line.strip() for line in (shared / "names-deduce" / "healthcare_institutions.txt").open(encoding="utf-8")]
    deduce_norm = [norm(line) for line in deduce]
    amsterdam = read_csv(shared / "providers" / "amsterdam_jeugdhulp_aanbieders_names.csv")
    out: dict[str, tuple[str, str, str, str]] = {}

    def in_deduce(name: str) -> int:
        pattern = re.compile(r"(?:^|\W)" + re.escape(norm(name)) + r"(?:\W|$)")
        return sum(1 for line in deduce_norm if pattern.search(line))

    for canonical, aliases, kind in PROVIDER_SEEDS:
        hits = max(in_deduce(n) for n in (canonical, *aliases))
        if hits:
            out[norm(canonical)] = (
                canonical,
                join(aliases),
                kind,
                f"data/reference/names-deduce/healthcare_institutions.txt ({hits} entries, deduce 3.0.6)",
            )
    for row in amsterdam:
        name = row["naam"]
        taken = {norm(a) for row in out.values() for a in row[1].split("|")}
        if norm(name) in out or norm(name) in taken or name == "OKT Amsterdam":
            continue
        kind = "jeugdhulp"
        out[norm(name)] = (name, "", kind, "data/reference/providers/amsterdam_jeugdhulp_aanbieders_names.csv")
    for canonical, aliases, kind in PROVIDER_CURATED:
        found = attested(canonical, aliases)
        if found is not None:
            out.setdefault(norm(canonical), (canonical, join(found[1]), kind, found[0]))
    write_csv("providers.csv", ("name", "aliases", "kind", "source"), sorted(out.values(), key=lambda r: norm(r[0])))


def build_woo_grounds(shared: Path) -> None:
    rows = read_csv(shared / "woo-grounds" / "woo_wob_grounds.csv")
    rows.append(
        {
            "law": "Wob",
            "code": "10.2f",
            "description": "Het belang van de geadresseerde om als eerste kennis te nemen van de informatie",
        }
    )
    out = []
    for row in rows:
        code, law = row["code"], row["law"]
        m = re.fullmatch(r"(\d+\.\d+(?:\.\d+)?)([a-i]?)", code)
        if not m:
            raise SystemExit(f"odd ground code {code}")
        base, letter = m.groups()
        written = code if law == "Woo" or not letter else f"{base}.{letter}"
        variants = {
            code,
            f"{base}.{letter}",
            f"{base} {letter}",
            f"{base} sub {letter}",
            f"{base} onder {letter}",
        }
        if not letter:
            variants = {code}
        source = (
            "data/reference/woo-grounds/woo_wob_grounds.csv (minvws/nl-rdo-woo-web Citation.php)"
            if code != "10.2f"
            else "data/docs/laws/wet_wet_openbaarheid_van_bestuur_BWBR0005252.md (Wob art. 10 lid 2 onder f)"
        )
        out.append((written, law, row["description"], join(sorted(variants - {written})), source))
    write_csv("woo_grounds.csv", ("code", "law", "label", "aliases", "source"), out)


_CITATION = re.compile(r"aangehaald als:?\s*\"?([^\".,\n]+?)\"?\s*(?:[.,]|$)", re.MULTILINE)


def build_laws(shared: Path) -> None:
    laws = shared / "docs" / "laws"
    index = (laws / "INDEX.tsv").read_text(encoding="utf-8")
    out = []
    for name, aliases, bwb in LAWS:
        if bwb in index:
            out.append((name, join(aliases), bwb, "data/docs/laws/INDEX.tsv"))
            continue
        found = attested(name, aliases)
        if found is None:
            continue  # a name no file under ../shared states
        # the BWB id is kept only where the same file gives it
        bwb_kept = bwb if ATTESTED is not None and found[0] in ATTESTED.where(bwb) else ""
        out.append((name, join(found[1]), bwb_kept, found[0]))
    # citation titles ("Deze wet wordt aangehaald als: Jeugdwet.") of every regulation in docs/laws
    known = {norm(n) for row in LAWS for n in (row[0], *row[1])}
    for path in sorted(laws.glob("*.md")):
        match = _CITATION.search(path.read_text(encoding="utf-8"))
        bwb = path.stem.rsplit("_", 1)[-1]
        if match and norm(match.group(1)) not in known:
            known.add(norm(match.group(1)))
            out.append((match.group(1).strip(), "", bwb, f"data/docs/laws/{path.name} (citeertitel)"))
    write_csv("laws.csv", ("name", "aliases", "bwb_id", "source"), out)


def build_organizations(shared: Path) -> None:
    import json

    from reference_orgs import MORE_ORGANIZATIONS

    out: dict[str, tuple[str, str, str, str]] = {}
    known: set[str] = set()
    for name, aliases, kind in (*ORGANIZATIONS, *MORE_ORGANIZATIONS):
        fresh = [a for a in aliases if norm(a) not in known and norm(a) not in out]
        if norm(name) in out or norm(name) in known:
            continue
        found = attested(name, fresh)
        if found is None:
            continue  # a name no file under ../shared states: not asserted
        out[norm(name)] = (name, join(found[1]), kind, found[0])
        known |= {norm(a) for a in found[1]}
    for path in sorted((shared / "docs" / "council-denhelder").glob("*_organisations.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data.get("organisations", data.get("results", [])) if isinstance(data, dict) else data
        if isinstance(data, dict) and not items:
            items = next((v for v in data.values() if isinstance(v, list)), [])
        for item in items:
            name = (item.get("name") or "").strip()
            committee = re.match(r"(?:Raadscommissie|Commissie|Subcommissie) (?P<bare>.+)", name)
            if item.get("classification") == "committee" and committee and norm(name) not in out:
                # "Raadscommissie Bestuur en Middelen", also named without the head word; a one-word bare name
                # ("Ruimte") is an ordinary word
                bare = committee.group("bare")
                out[norm(name)] = (name, bare if " " in bare else "", "raadscommissie",
                                   f"data/docs/council-denhelder/{path.name} (openstate/open-raadsinformatie)")  # fmt: skip
                continue
            if item.get("classification") == "Party" and name in GENERIC_PARTIES and "/" not in name:
                # a national party the council data names: the name as written there, no expansion from memory
                if norm(name) not in out and norm(name) not in known:
                    out[norm(name)] = (name, "", "partij", f"data/docs/council-denhelder/{path.name} "
                                       "(openstate/open-raadsinformatie)")  # fmt: skip
                continue
            if item.get("classification") != "Party" or not name or name in GENERIC_PARTIES or len(name) < 5:
                continue
            if norm(name) in out or norm(name) in known or "/" in name:
                continue
            out[norm(name)] = (
                name,
                "",
                "lokale partij",
                f"data/docs/council-denhelder/{path.name} (openstate/open-raadsinformatie)",
            )
    write_csv(
        "organizations.csv",
        ("name", "aliases", "kind", "source"),
        sorted(out.values(), key=lambda r: norm(r[0])),
    )


def build_first_names(shared: Path) -> None:
    # a capitalised first name whose lowercase form is an ordinary word in the law texts ("onder", "hart")
    # would turn sentence-initial words into persons
    laws = shared.parent / "docs" / "laws"
    common: dict[str, int] = defaultdict(int)
    for path in laws.glob("*.md"):
        for word in re.findall(r"\b[a-zà-ÿ]+\b", path.read_text(encoding="utf-8")):
            common[word] += 1
    names = []
    for line in (shared / "names-deduce" / "first_names.txt").open(encoding="utf-8"):
        name = line.strip()
        ok = len(name) >= 3 and name[0].isupper() and name.isalpha() and common[name.lower()] < 2
        if ok and name not in NOT_FIRST_NAMES:
            names.append(name)
    source = "data/reference/names-deduce/first_names.txt (deduce 3.0.6)"
    write_csv("first_names.csv", ("name", "source"), ((n, source) for n in sorted(set(names))))


SOURCES_INTRO = (
    "# corpora/reference: sources\n\n"
    "Generated by `scripts/build_reference.py` from `../shared/data/reference` (and "
    "`../shared/data/docs` for\n"
    "laws and council parties). Regenerate with `python scripts/build_reference.py`; "
    "never edit the CSVs by hand.\n"
    "Every row's `source` column starts with the file under `../shared` that states it (or a public "
    "identifier such as ISO 3166-2:NL); `tests/nlp/test_reference_sources.py` checks this.\n\n"
    "| table | derived from | licence of the input |\n|---|---|---|\n"
)
SOURCES_ROWS: tuple[tuple[str, str, str], ...] = (
    (
        "municipalities.csv",
        "`gemeenten/gemeenten_342_derived.csv` (the 342 of gm.ts, "
        "minvws/nl-covid19-data-dashboard @e32c09ef); "
        "province checked against `regioatlas2016_provincies.csv` for every unchanged "
        "code (GM0820's VR-based "
        "province fixed from it); aliases: display names, Tabel 33 spellings, "
        "hyphen/space/`a/d`/accent variants, "
        "second names (Frisian/Dutch counterparts, 's-Gravenhage) only where a text file under ../shared writes them",
        "EUPL-1.2 / public data",
    ),
    (
        "former_municipalities.csv",
        "`gemeenten/former_gemeenten_since_2015.csv`, each row re-checked against "
        "`rvig_tabel33_gemeententabel.csv`, "
        "the 2023 list and regioatlas 2016 (column `checked`); `current_gm_codes` "
        "follows successor chains to the "
        "342; the end dates of the 2022/2023 mergers are in no file under ../shared and are left empty",
        "RvIG public data, EUPL-1.2",
    ),
    (
        "historic_municipalities.csv",
        "`gemeenten/rvig_tabel33_gemeententabel.csv`: every municipality that ended before 2015 and whose "
        "name is no current or since-2015 name; `current_gm_codes` follows the table's new codes (and "
        "former_municipalities.csv) to the 342; a municipality split over several (Boarnsterhim) gets the one "
        'successor Tabel 33 names. Only matched as "gemeente X": most are villages today',
        "RvIG public data",
    ),
    (
        "provinces.csv",
        "names of `gemeenten/regioatlas2016_provincies.csv`; codes of ISO 3166-2:NL (public standard); "
        "aliases only where a text file under ../shared writes them",
        "public data",
    ),
    (
        "youth_regions.csv",
        "`gemeenten/regioatlas2016_jeugdzorgregios1.csv` (42 regions, 2016 indeling; openstate/datasets); "
        "`member_gm_codes_current` maps members through former_municipalities.csv. "
        "OUTDATED: jeugdregio's were "
        "re-cut after 2016",
        "BZK public data",
    ),
    (
        "providers.csv",
        "curated seed list kept only when attested in "
        "`names-deduce/healthcare_institutions.txt` (deduce 3.0.6), "
        "plus `providers/amsterdam_jeugdhulp_aanbieders_names.csv`; other curated names only where a text file "
        "under ../shared states them (that file is the row's source)",
        "LGPL-3.0+ (deduce), MIT",
    ),
    (
        "woo_grounds.csv",
        "`woo-grounds/woo_wob_grounds.csv` (minvws/nl-rdo-woo-web Citation.php) + Wob "
        "10.2.f from the Wob text in "
        "`docs/laws`; Wob codes written as in inventories (10.2.e)",
        "EUPL-1.2, statutory text",
    ),
    (
        "laws.csv",
        "names in `docs/laws/INDEX.tsv`, the citation titles of `docs/laws/*.md`, and curated names kept only where "
        "a text file under ../shared states them (abbreviations and BWB ids only where that same file writes them)",
        "statutory (Auteurswet art. 11)",
    ),
    (
        "organizations.csv",
        "curated names (ministries, supervisors, parties...) kept only where a text file under ../shared states "
        "them, with only the aliases that same file writes (the `kind` column is a curated category) + local "
        "parties and council committees "
        "(`Raadscommissie Bestuur en Middelen`, also without the head word when that leaves two words or more) from "
        "`docs/council-denhelder/*_organisations.json` (openstate/open-raadsinformatie)",
        "public fact, MIT",
    ),
    (
        "first_names.csv",
        "`names-deduce/first_names.txt`, filtered (>= 3 letters, alphabetic, minus common Dutch words/places)",
        "LGPL-3.0+ (deduce): if docmine ships this list, LGPL terms apply",
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=None, help="output directory (default corpora/reference)")
    args = parser.parse_args(argv)
    global OUT
    OUT = args.out or OUT
    ref = args.shared / "reference"
    if not ref.is_dir():
        print(f"error: {ref} not found; pass --shared", file=sys.stderr)
        return 1
    global ATTESTED
    ATTESTED = Attestation(args.shared)
    province_iso = build_provinces()
    current = build_municipalities(ref, province_iso)
    build_former(ref, current)
    build_historic(ref, current)
    build_regions(ref, current)
    build_providers(ref)
    build_woo_grounds(ref)
    build_laws(args.shared)
    build_organizations(args.shared)
    build_first_names(ref)
    sources = SOURCES_INTRO + "".join(f"| {a} | {b} | {c} |\n" for a, b, c in SOURCES_ROWS)
    (OUT / "SOURCES.md").write_text(sources, encoding="utf-8")
    for path in sorted(OUT.glob("*.csv")):
        print(f"{path.name}: {sum(1 for _ in path.open(encoding='utf-8')) - 1} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
