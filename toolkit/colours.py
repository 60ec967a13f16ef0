"""One colour per status, the same on badges, charts and the PDF: the one source of truth.

Colours from the Okabe–Ito palette (Okabe & Ito, « Color Universal Design », 2008), told apart
by people with any common colour-vision deficiency; a status is always named in words beside
its colour (badge text, chart legend and value labels, data table). The keys are the values
of `actions.Action.Status` and `indicators.selectors.Track` (plain strings: this module knows no
app). `static/css/status-colours.css` is written from here (`python -m toolkit.colours`), and a
test fails when the two differ.
"""

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#8C8C8C"  # « nothing to say » (previous plan, no value): outside the palette on purpose

# Action statuses.
STATUS = {
    "previous_plan": GREY,
    "lead": OKABE_ITO["reddish_purple"],
    "planned": OKABE_ITO["orange"],
    "in_progress": OKABE_ITO["blue"],
    "done": OKABE_ITO["bluish_green"],
    "abandoned": OKABE_ITO["vermillion"],
}
# An indicator's situation.
TRACK = {
    "on_track": OKABE_ITO["bluish_green"],
    "off_track": OKABE_ITO["vermillion"],
    "no_target": OKABE_ITO["sky_blue"],
    "no_data": GREY,
}
# Series of a chart that are not statuses (the network, then structures), in order.
SERIES = [OKABE_ITO[name] for name in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue")]
NEUTRAL = "#E9ECEF"  # the empty part of a progress bar


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two « #RRGGBB » colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (both ≥ 4.5:1 on the palette)."""
    return "#000000" if contrast(background, "#000000") >= contrast(background, "#FFFFFF") else "#FFFFFF"


def css() -> str:
    """The badges' and swatches' rules, one class per status: `.status-<key>`, `.track-<key>`."""
    lines = ["/* Written by `python -m toolkit.colours` from toolkit/colours.py: edit that, not this. */"]
    for prefix, colours in (("status", STATUS), ("track", TRACK)):
        for key, colour in colours.items():
            lines.append(
                f".{prefix}-{key} {{ background-color: {colour} !important; color: {text_on(colour)} !important; }}"
            )
    lines.append(
        ".swatch { display: inline-block; width: .8em; height: .8em; margin-right: .3em; vertical-align: -.05em;"
        " border: 1px solid rgba(0, 0, 0, .35); }"
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys
    from pathlib import Path

    target = Path(__file__).resolve().parent.parent / "static" / "css" / "status-colours.css"
    target.write_text(css(), encoding="utf-8")
    sys.stdout.write(f"{target}\n")
