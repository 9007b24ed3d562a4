#!/usr/bin/env python3
"""Writes the vocabulary (resources/schema/vocabulary.yaml) into the files that show it without reading it
at run time: the styles resources/styles/grade.qml, disposal.qml, low_eff.qml and the legend of the default
dossier template resources/layouts/dossier_a4.qpt. Class, tag and path names and colours come from the
vocabulary; everything else in those files (outlines, hatching, fields) stays as designed.

    python3 scripts/vocabulary_styles.py           rewrite the files that disagree, list them
    python3 scripts/vocabulary_styles.py --check   list them and exit 1 (test/test_vocabulary.py runs this)

Plain text edits of the XML (no QGIS needed), so a file that agrees is left byte for byte.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from landeval_plugin.core import vocabulary  # noqa: E402 - importable once the repository is on sys.path

STYLES = os.path.join(ROOT, "resources", "styles")
TEMPLATE = os.path.join(ROOT, "resources", "layouts", "dossier_a4.qpt")


def rgba(colour):
    """'#2e9e45' -> '46,158,69,255' (QGIS's colour text)."""
    c = colour.lstrip("#")
    return "{},{},{},255".format(int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16))


def xml_text(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def recolour_first(block, colour):
    """The first fill colour of a symbol (its <Option name="color"> and <prop k="color">) set to ``colour``."""
    value = rgba(colour)
    block = re.sub(r'(<Option\b(?=[^>]*\bname="color")[^>]*\bvalue=")[^"]*(")', r"\g<1>{}\g<2>".format(value),
                   block, count=1)
    block = re.sub(r'(<prop\b(?=[^>]*\bk="color")[^>]*\bv=")[^"]*(")', r"\g<1>{}\g<2>".format(value), block,
                   count=1)
    return block


def top_symbols(text):
    """[(name, block)] of the renderer's own symbols (not the sub-symbols nested in them)."""
    return [(m.group(2), m.group(0)) for m in
            re.finditer(r'^( *)<symbol\b[^>]*\bname="([^"]*)"[^>]*>.*?^\1</symbol>', text, re.M | re.S)]


def categorized(text, entries):
    """A categorized style whose categories are ``entries`` [(value, label, colour, render)] in that
    order, each with its own symbol: a copy of the style's first symbol in the entry's colour."""
    cats = re.search(r"^( *)<categories>\n.*?^\1</categories>\n", text, re.M | re.S)
    syms = re.search(r"^( *)<symbols>\n.*?^\1</symbols>\n", text, re.M | re.S)
    indent = cats.group(1) + "  "
    template = top_symbols(syms.group(0))[0][1]
    cat_lines = ['{}<category render="{}" value="{}" symbol="{}" label="{}"/>\n'.format(
        indent, "true" if render else "false", xml_text(value), i, xml_text(label))
        for i, (value, label, _colour, render) in enumerate(entries)]
    # QGIS writes symbols sorted by name as text ("0", "1", "10", "11", "2" ...): keep its order
    blocks = sorted((str(i), recolour_first(re.sub(r'\bname="[^"]*"', 'name="{}"'.format(i), template, count=1),
                                            colour)) for i, (_v, _l, colour, _r) in enumerate(entries))
    new_cats = "{}<categories>\n{}{}</categories>\n".format(cats.group(1), "".join(cat_lines), cats.group(1))
    new_syms = "{}<symbols>\n{}\n{}</symbols>\n".format(syms.group(1), "\n".join(b for _n, b in blocks),
                                                       syms.group(1))
    return text[:cats.start()] + new_cats + text[cats.end():syms.start()] + new_syms + text[syms.end():]


def grade_style(text):
    entries = [(code, vocabulary.grade_label(code), colour, True)
               for code, colour in vocabulary.grade_colours().items()]
    none = vocabulary.no_grade()
    entries.append(("", none["name"], none["colour"], False))
    return categorized(text, entries)


def disposal_style(text):
    entries = [(name, name, colour, True) for name, colour in vocabulary.disposal_paths()]
    none = vocabulary.no_path()
    entries.append(("", none["name"], none["colour"], True))
    return categorized(text, entries)


def low_eff_style(text):
    """Rules 非低效, 低效用地, then one per tag (hatched in the tag's colour); the rules' symbols keep
    their hatching, only labels, filters and fill colours follow the vocabulary."""
    wanted = [('NOT coalesce("low_eff", false)', vocabulary.low_eff(False)),
              ('coalesce("low_eff", false)', vocabulary.low_eff(True))]
    wanted += [("\"low_eff_tags\" LIKE '%{}%'".format(name), {"name": name, "colour": colour})
               for name, colour in vocabulary.low_eff_tags()]
    rules = list(re.finditer(r'<rule key="([^"]*)" filter="[^"]*" symbol="(\d+)" label="[^"]*"/>', text))
    if len(rules) != len(wanted):
        raise SystemExit("low_eff.qml has {} rules, the vocabulary {}: add or remove a tag rule in QGIS (Symbology, "
                         "rule-based), save the style, then run this script".format(len(rules), len(wanted)))
    out = text
    for m, (flt, entry) in reversed(list(zip(rules, wanted))):
        line = '<rule key="{}" filter="{}" symbol="{}" label="{}"/>'.format(m.group(1), xml_text(flt), m.group(2),
                                                                            xml_text(entry["name"]))
        out = out[:m.start()] + line + out[m.end():]
    for (_name, block), (_flt, entry) in zip(sorted(top_symbols(out), key=lambda s: int(s[0])), wanted):
        out = out.replace(block, recolour_first(block, entry["colour"]), 1)
    return out


def template_legend(text):
    """The legend table's class rows of the dossier template: 'A 鼓励支持' with its swatch colour."""
    colours = vocabulary.grade_colours()

    def row(m):
        body = m.group(0)
        label = re.search(r'name="content" value="([A-Z]) [^"]*"', body)
        if not label or label.group(1) not in colours:
            return body
        code = label.group(1)
        body = re.sub(r'(name="content" value=")[A-Z] [^"]*(")', r"\g<1>{}\g<2>".format(
            xml_text(vocabulary.grade_label(code))), body, count=1)
        return re.sub(r'(name="background" value=")[^"]+(")', r"\g<1>{}\g<2>".format(rgba(colours[code])), body,
                      count=1)

    return re.sub(r"<row>.*?</row>", row, text, flags=re.S)


FILES = [(os.path.join(STYLES, "grade.qml"), grade_style),
         (os.path.join(STYLES, "disposal.qml"), disposal_style),
         (os.path.join(STYLES, "low_eff.qml"), low_eff_style),
         (TEMPLATE, template_legend)]


def main(argv):
    check = "--check" in argv
    differ = []
    for path, rewrite in FILES:
        with open(path, encoding="utf-8") as fh:
            old = fh.read()
        new = rewrite(old)
        if new != old:
            differ.append(os.path.relpath(path, ROOT))
            if not check:
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(new)
    for name in differ:
        print("{}: {}".format(name, "differs from the vocabulary" if check else "rewritten from the vocabulary"))
    return 1 if (check and differ) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
