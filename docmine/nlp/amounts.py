"""Amounts of money in Dutch text: ``parse_amount`` normalises one euro expression, ``find_amounts`` finds euro
amounts and ``find_other_amounts`` amounts in another currency (guilders in older rulings, dollars in aid).

Money is only recognised with a currency sign/word (``€ 12 miljoen``, ``150 miljoen euro``) or, for a bare
``miljoen``/``miljard``/``ton``, when a money word (bedragen, kosten, tekort, budget ...) precedes it in the
same clause, so counts such as ``50.000 inwoners`` or ``van 80 naar 13 contracten`` never become money.
"""

from __future__ import annotations

import re

from docmine.nlp.spans import without_overlaps

__all__ = ["parse_amount", "find_amounts", "find_other_amounts", "parse_number"]

_SCALES: dict[str, float] = {
    "miljoen": 1e6,
    "mln": 1e6,
    "mio": 1e6,
    "mil": 1e6,
    "m": 1e6,
    "miljard": 1e9,
    "mld": 1e9,
    "mrd": 1e9,
    "md": 1e9,
    "duizend": 1e3,
    "dzd": 1e3,
    "k": 1e3,
    "ton": 1e5,
    "biljoen": 1e12,
}
_UNITS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9}
_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
          "zeventien": 17, "achttien": 18, "negentien": 19}  # fmt: skip
_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
         "negentig": 90}  # fmt: skip
# number words before a scale word ("twee miljoen", "anderhalf miljard"): units, tien to twaalf, twintig to vijftig
_WORD_NUMBERS: dict[str, float] = {
    **_UNITS,
    "anderhalf": 1.5,
    **{word: _TEENS[word] for word in ("tien", "elf", "twaalf")},
    **{word: _TENS[word] for word in ("twintig", "dertig", "veertig", "vijftig")},
    "honderd": 100,
}

_NUM = r"\d+(?:[.,]\d+)*"
# "€ 80 000": thousands grouped by a (no-break, thin) space, only right after a currency sign
_NUM_SPACED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?!\d)"
_WORDNUM = r"(?:een\s+half|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + ")"
_NUMBER = rf"(?:{_NUM}|{_WORDNUM})"
# Long scale words first; the one-letter ``m``/``k`` only count directly after a currency-marked number.
_SCALE = r"(?:miljoen|miljard|biljoen|duizend|mln|mio|mld|mrd|dzd|ton)"
_SCALE_SHORT = rf"(?:{_SCALE}|m|k|md|mil)"
_CUR_PRE = r"(?:€|(?<!\w)(?:EUR|EURO|Euro|euro)\b)"  # not the end of a word: "bij voorkeur een helm"
_CUR_POST = r"(?:euro(?:'s)?\b|EUR\b|Euro\b)"  # "1.071 € 210" in tables: the sign belongs to the next number
_DASH = r"(?:,-{1,2}|,—|,–)"
_ABBR_DOT = r"(?:(?<=mln|mld|mrd|mio|dzd)\.(?!\d))?"  # "€ 8 mln." keeps the abbreviation's dot
_LEFT = r"(?<![\w.,/€-])"  # not glued to another number, code or word
_RIGHT = r"(?![\w/]|[.,]\d)"

# one-character lookaheads let the engine skip most positions before the costly alternations
_NUM_START = r"(?=\d)"
_PRE = re.compile(
    rf"(?=[€Ee]){_CUR_PRE}\s?(?P<num>{_NUM_SPACED}|{_NUMBER})(?:\s?(?P<scale>{_SCALE_SHORT}){_ABBR_DOT})?"
    rf"(?P<dash>{_DASH})?"
    rf"{_RIGHT}",
    re.IGNORECASE,
)
_POST = re.compile(
    rf"{_NUM_START}{_LEFT}(?P<num>{_NUM_SPACED}|{_NUM})(?:\s?(?P<scale>{_SCALE})\.?)?\s?(?:{_CUR_POST})",
    re.IGNORECASE,
)
_BARE = re.compile(
    rf"{_NUM_START}{_LEFT}(?P<num>{_NUM})\s?(?P<scale>{_SCALE})\b{_ABBR_DOT}(?!\s*(?:{_CUR_POST}))", re.IGNORECASE
)
# "€ 10 à 12 miljoen", "63.250 en 86.250 euro": two amounts sharing the scale and currency, so both values can be
# traced (the tune set's convention marks a range as one span; dev, annotated earlier, marks two)
_RANGE = re.compile(
    rf"(?=[€Ee\d])(?P<cur1>{_CUR_PRE}\s?)?{_LEFT}(?P<num1>{_NUM})\s?(?P<sep>tot|à|a|-|–|en|of)\s?"
    rf"(?P<cur2>{_CUR_PRE}\s?)?(?P<num2>{_NUM})(?:\s?(?P<scale>{_SCALE})\b{_ABBR_DOT})?(?P<cur3>\s?{_CUR_POST})?"
    rf"{_RIGHT}",
    re.IGNORECASE,
)
# a figure that only money is written as: "250.000,--" (the dash for no cents) and, in a table cell or list,
# thousands grouped by dots with two decimals ("189.367.109,91")
_DASHED = re.compile(rf"{_NUM_START}{_LEFT}(?P<num>{_NUM}){_DASH}(?![\w-])")
_CENTS = re.compile(r"(?<![\w.,/€-])(?P<num>\d{1,3}(?:\.\d{3})+,\d{2})(?![\w/%]|[.,]\d|\s?%)")
# number words ("twee miljoen euro") are looked for only just before a scale word: scanning for them
# everywhere costs more than all other patterns together
_SCALE_WORD = re.compile(r"(?<!\w)(?:miljoen|miljard|biljoen|duizend|ton)\b", re.IGNORECASE)
_WORD_BEFORE = re.compile(rf"(?<!\w)(?P<num>{_WORDNUM})\s+$", re.IGNORECASE)
_CUR_AFTER = re.compile(rf"\s?(?:{_CUR_POST})", re.IGNORECASE)
_MONEY_CUE = re.compile(
    r"\b(?:bedraagt|bedragen|bedroeg|bedroegen|beloopt|kost(?:en|te|ten)?|tekort(?:en)?|budget(?:ten)?|"
    r"uitgaven|subsidie(?:s)?|begroting|begroot|omzet|bijdrage|investering(?:en)?|opbrengst(?:en)?|"
    r"besparing(?:en)?|bezuiniging(?:en)?|overschrijding|lasten|baten|contractwaarde|opdrachtwaarde|"
    r"waarde|prijs|financiering|vergoeding|middelen|reserve(?:ert|ren|erde|erden)?|investe(?:ert|ren|erde|erden)|krediet|overschot|schuld(?:en)?|"
    r"compensatie|uitkering|ophoging|verhoging|korting|volume|raming|geraamd|extra|miljoenen(?:nota)?|"
    r"geld|gelden|ontvangt|ontvangen|uitgegeven|besteed|euro|btw)\b",
    re.IGNORECASE,
)
# "structureel 65 miljoen vrijgemaakt", "124 miljoen naar investeringen": the money word follows the amount
_MONEY_CUE_AFTER = re.compile(
    r"\.?\s+(?:\w+\s+){0,2}?(?:vrijgemaakt|uitgetrokken|gereserveerd|geïnvesteerd|geinvesteerd|besteed|"
    r"uitgegeven|bezuinigd|begroot|geraamd|beschikbaar\s+gesteld|naar\s+investeringen|aan\s+subsidie|betalen|betaald|"
    r"gekost|toegekend|overgemaakt)\b",
    re.IGNORECASE,
)
_NOT_MONEY_UNIT = re.compile(
    r"\s*(?:inwoners|mensen|personen|kinderen|jongeren|jeugdigen|huishoudens|cliënten|clienten|uur|uren|"
    r"km|kilometer|liter|kilo|stuks|bezoekers|woningen|m2|m3|keer|jaar|dagen|pagina|leerlingen|"
    # "59 ton ammoniak": a weight, not a hundred thousand euros
    r"ammoniak|stikstof|co2|co₂|koolstof|olie|diesel|benzine|gas|lng|afval|grond|zand|mest|kolen|staal|erts|vis|"
    r"graan|voer|vracht|lading|methaan|uitstoot|emissie|broeikasgas(?:sen)?)\b",
    re.IGNORECASE,
)
# signs and codes of other currencies written before the amount: the guilder in older rulings, the dollar in aid
_OTHER_SIGN = r"ƒ|\b(?:NLG|[Hh]?fl\.)|\bUS\$|\$|\bUSD\b|£|\bGBP\b|\bCHF\b|¥|\bJPY\b"
# another currency before a bare amount: "USD 20 miljoen", "ƒ 809,--" is no euro amount
_FOREIGN_BEFORE = re.compile(rf"(?:{_OTHER_SIGN}|\b(?:dollar|pond|hfl)|(?<![\w.])f)\s?$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:!?\n]|\.\s")
_SENTENCE_BREAK = re.compile(r"[;:!?]|\.\s|\n\s*\n")  # a single line break is only a PDF line
_QUALIFIER = re.compile(
    r"^\s*(?:ruim|circa|ca\.|bijna|ongeveer|maximaal|minimaal|zo'n|meer\s+dan|minder\s+dan|tot|"
    r"ten\s+minste|tenminste|totaal|in\s+totaal|±|~)\s*",
    re.IGNORECASE,
)
_CUE_WINDOW = 80
# every amount has a currency marker or a scale word: texts without one are skipped at once
_TRIGGER = re.compile(
    r"€|eur|mln|mld|mrd|mio|miljoen|miljard|biljoen|duizend|dzd|\bton\b|\d,-|\d,–|\d,—|\d\.\d{3},\d\d", re.IGNORECASE
)


def parse_number(text: str) -> float | None:
    """Parse a Dutch or English number: ``1.234.567,89``, ``1,2``, ``1.5``, ``450.000``, ``twee``."""
    raw = text.strip().lower()
    if not raw:
        return None
    if raw in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[raw])
    if re.fullmatch(r"een\s+half", raw):
        return 0.5
    if re.fullmatch(_NUM_SPACED, raw):
        raw = re.sub(r"[ \u00a0\u202f]", "", raw)
    if not re.fullmatch(_NUM, raw):
        return None
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        if raw.count(decimal) > 1:
            return None
        raw = raw.replace(thousands, "").replace(decimal, ".")
    elif dots or commas:
        sep = "." if dots else ","
        head, *rest = raw.split(sep)
        if len(rest) > 1 or (sep == "." and len(rest[0]) == 3):
            # thousands grouping (Dutch 450.000, or 1,234,567): every group after the first has 3 digits
            if len(head) > 3 or any(len(group) != 3 for group in rest):
                return None
            raw = head + "".join(rest)
        else:
            raw = f"{head}.{rest[0]}"
    try:
        return float(raw)
    except ValueError:
        return None


def _value(num: str, scale: str | None) -> float | None:
    number = parse_number(num)
    if number is None:
        return None
    if scale:
        number *= _SCALES[scale.lower()]
    return round(number, 2)


def _has_cue(text: str, start: int) -> bool:
    window = text[max(0, start - _CUE_WINDOW) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    return bool(_MONEY_CUE.search(window))


def _amount_before(text: str, start: int, found: list[tuple[int, int, float]]) -> bool:
    """An amount just before in the same clause: "600 miljoen per jaar, met een aanloop van 200 miljoen"."""
    return any(0 <= start - end < _CUE_WINDOW and not _SENTENCE_BREAK.search(text, end, start) for _, end, _ in found)


def find_amounts(text: str) -> list[tuple[int, int, float]]:
    """All euro amounts in ``text`` as ``(start, end, value)``; spans exclude qualifiers such as *ruim*."""
    found: list[tuple[int, int, float]] = []
    if not _TRIGGER.search(text):
        return found
    for m in _RANGE.finditer(text):
        has_currency = m.group("cur1") or m.group("cur2") or m.group("cur3")
        if not (has_currency or m.group("scale") and _has_cue(text, m.start())):
            continue
        if m.group("cur2") and not m.group("cur1"):
            continue  # "2019 – € 2.500.000": the sign starts the amount
        first, second = _value(m.group("num1"), m.group("scale")), _value(m.group("num2"), m.group("scale"))
        if first is None or second is None:
            continue
        if m.group("sep").lower() in {"en", "of"} or first < second:
            found.append((m.start(), m.end("num1"), first))
            found.append((m.start("cur2") if m.group("cur2") else m.start("num2"), m.end(), second))
    for pattern in (_PRE, _POST):
        for m in pattern.finditer(text):
            value = _value(m.group("num"), m.group("scale"))
            if value is not None:
                found.append((m.start(), m.end(), value))
    for m in _BARE.finditer(text):
        if m.group("scale").lower() not in {"miljoen", "miljard", "mln", "mld", "mrd", "ton", "biljoen"}:
            continue
        if _NOT_MONEY_UNIT.match(text, m.end()) or _FOREIGN_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue
        if not (
            _has_cue(text, m.start()) or _MONEY_CUE_AFTER.match(text, m.end()) or _amount_before(text, m.start(), found)
        ):
            continue
        value = _value(m.group("num"), m.group("scale"))
        if value is not None:
            found.append((m.start(), m.end(), value))
    for pattern in (_DASHED, _CENTS):
        for m in pattern.finditer(text):
            if _NOT_MONEY_UNIT.match(text, m.end()) or _FOREIGN_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                continue
            value = _value(m.group("num"), None)
            if value is not None:
                found.append((m.start(), m.end(), value))
    found.extend(_word_amounts(text))
    found.extend(_numeral_amounts(text))
    return without_overlaps(found)


def _word_amounts(text: str) -> list[tuple[int, int, float]]:
    """``twee miljoen euro``, ``anderhalf miljard`` after a money word."""
    found: list[tuple[int, int, float]] = []
    for m in _SCALE_WORD.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, m.start() - 16), m.start())
        if before is None:
            continue
        currency = _CUR_AFTER.match(text, m.end())
        if currency is None and (_NOT_MONEY_UNIT.match(text, m.end()) or not _has_cue(text, before.start())):
            continue
        value = _value(before.group("num"), m.group(0))
        if value is not None:
            found.append((before.start(), currency.end() if currency else m.end(), value))
    return found


_UNIT, _TEEN, _TEN = ("|".join(table) for table in (_UNITS, _TEENS, _TENS))
_BELOW_100 = rf"(?:(?:{_UNIT})(?:en|ën)(?:{_TEN})|{_TEN}|{_TEEN}|{_UNIT})"
_BELOW_1000 = rf"(?:(?:{_BELOW_100})?honderd(?:{_BELOW_100})?|{_BELOW_100})"
_NUMERAL = re.compile(rf"(?:(?:{_BELOW_1000})?duizend(?:{_BELOW_1000})?|{_BELOW_1000})")
# "(drieduizend euro)": an amount written out, as in rulings and decisions
_NUMERAL_EURO = re.compile(r"(?<![\w-])(?P<word>[a-zëé]{3,60})\s+euro(?![\w-])", re.IGNORECASE)


def parse_numeral(word: str) -> int | None:
    """A Dutch number written as one word: ``drieduizend`` -> 3000, ``tweehonderdzeven`` -> 207, else None."""
    word = word.lower()
    if not _NUMERAL.fullmatch(word):
        return None
    total, _, rest = word.rpartition("duizend") if "duizend" in word else ("", "", word)
    value = (_below_1000(total) or 1) * 1000 if "duizend" in word else 0
    return value + _below_1000(rest)


def _below_1000(word: str) -> int:
    hundreds, _, rest = word.partition("honderd") if "honderd" in word else ("", "", word)
    value = ((_below_100(hundreds) or 1) * 100) if "honderd" in word else 0
    return value + _below_100(rest)


def _below_100(word: str) -> int:
    if not word:
        return 0
    for table in (_TEENS, _TENS, _UNITS):
        if word in table:
            return table[word]
    for tens, ten_value in _TENS.items():
        if word.endswith(tens):
            unit = word[: -len(tens)].removesuffix("en").removesuffix("ën")
            return _UNITS.get(unit, 0) + ten_value
    return 0


def _numeral_amounts(text: str) -> list[tuple[int, int, float]]:
    found: list[tuple[int, int, float]] = []
    if "euro" not in text.lower():
        return found
    for m in _NUMERAL_EURO.finditer(text):
        value = parse_numeral(m.group("word"))
        if value:
            found.append((m.start(), m.end(), float(value)))
    return found


# An amount in another currency. The guilder's bare "f" counts only before cents or a dash ("f 250,--"); "pond"
# only as "pond sterling" (a pound is also a weight), "frank" only as Swiss or Belgian francs.
_OTHER_PRE = re.compile(
    rf"(?P<cur>{_OTHER_SIGN}|(?<![\w.])f(?=\s?\d[\d.]*,(?:\d\d|-)))\s?(?P<num>{_NUM_SPACED}|{_NUMBER})"
    rf"(?:\s?(?P<scale>{_SCALE_SHORT}){_ABBR_DOT})?(?P<dash>{_DASH})?{_RIGHT}"
)
_OTHER_POST = re.compile(
    rf"{_NUM_START}{_LEFT}(?P<num>{_NUM_SPACED}|{_NUM})(?:\s?(?P<scale>{_SCALE})\.?)?\s?"
    r"(?P<cur>(?:Amerikaanse\s+)?dollars?\b|USD\b|guldens?\b|NLG\b|(?:Britse\s+)?pond(?:en)?\s+sterling\b|GBP\b|"
    r"Zwitserse\s+frank(?:en)?\b|CHF\b|Belgische\s+frank(?:en)?\b|BEF\b|yen\b|JPY\b)"
)


def _currency_code(currency: str) -> str:
    """ISO 4217 code of a currency sign or word matched by ``_OTHER_PRE``/``_OTHER_POST``."""
    word = currency.lower()
    for code, marks in (("GBP", ("£", "gbp", "sterling")), ("CHF", ("chf", "zwitserse")), ("BEF", ("bef", "belgische")),
                        ("JPY", ("¥", "jpy", "yen")), ("USD", ("$", "usd", "dollar"))):  # fmt: skip
        if any(mark in word for mark in marks):
            return code
    return "NLG"  # ƒ, fl., hfl., f, gulden


def find_other_amounts(text: str) -> list[tuple[int, int, str]]:
    """Amounts in another currency as ``(start, end, "CODE amount")``: ``ƒ 809,--`` -> ``"NLG 809.00"``,
    ``1,7 miljard dollar`` -> ``"USD 1700000000.00"``. Not converted: the value says which currency it is."""
    found: list[tuple[int, int, str]] = []
    for pattern in (_OTHER_PRE, _OTHER_POST):
        for m in pattern.finditer(text):
            value = _value(m.group("num"), m.group("scale"))
            if value is not None:
                found.append((m.start(), m.end(), f"{_currency_code(m.group('cur'))} {value:.2f}"))
    return without_overlaps(found)


def parse_amount(text: str) -> float | None:
    """The value in euros of one money expression (``ruim € 12 miljoen`` -> 12e6), or None."""
    if not isinstance(text, str):
        return None
    stripped = _QUALIFIER.sub("", text.strip())
    for pattern in (_PRE, _POST):
        m = pattern.match(stripped)
        if m:
            return _value(m.group("num"), m.group("scale"))
    m = re.fullmatch(rf"(?P<num>{_NUMBER})\s?(?P<scale>{_SCALE_SHORT})?{_DASH}?", stripped, re.IGNORECASE)
    if m:
        return _value(m.group("num"), m.group("scale"))
    found = find_amounts(stripped)
    return found[0][2] if len(found) == 1 else None
