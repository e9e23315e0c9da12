"""A diagram with a phone layout (coursebook/diagrams.py) is legible on a phone: its text is at
least 12 px high at 390 px wide, as at 1280 px, with one alt text for both drawings."""

from __future__ import annotations

import re

import pytest
from support.paths import ROOT
from support.site_driver import open_page

from coursebook.diagrams import PHONE_MEDIA, offer_phone_layout, phone_layout

FLOW_CHART = ROOT / "book" / "separate_or_joint" / "decision.svg"


def test_a_diagram_with_a_phone_layout_is_offered_it_once():
    img = '<img alt="A flow chart" src="../_images/decision.svg" style="width: 100%;" />'
    html = f"<p>{img}</p>"
    done = offer_phone_layout(
        html, "../_images/decision.svg", "../_images/decision.phone.svg", ' width="3" height="9"'
    )
    assert done == (
        '<p><picture class="smx-phone-layout">'
        f'<source media="{PHONE_MEDIA}" srcset="../_images/decision.phone.svg" width="3" '
        f'height="9" />{img}</picture></p>'
    )
    assert (
        offer_phone_layout(done, "../_images/decision.svg", "../_images/decision.phone.svg", "")
        == done
    )
    # Another picture's address is left alone.
    assert (
        offer_phone_layout(html, "../_images/other.svg", "../_images/other.phone.svg", "") == html
    )


def test_the_flow_chart_has_a_phone_layout():
    phone = phone_layout(FLOW_CHART)
    assert phone is not None and phone.name == "decision.phone.svg"
    assert phone_layout(phone) is None

    # The same questions and results in both drawings.
    def words(path):
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8").split("</defs>")[1])
        return sorted(re.findall(r"[a-z]+", text.lower()))

    assert words(phone) == words(FLOW_CHART)


# The diagram's smallest text as drawn on the page, in CSS px: the smallest font-size in the
# drawing the browser chose, times the drawn width over the drawing's own width.
_TEXT_PX = """async (img) => {
    const svg = await (await fetch(img.currentSrc)).text();
    const width = Number(svg.match(/viewBox="[\\d.]+ [\\d.]+ ([\\d.]+)/)[1]);
    const sizes = [...svg.matchAll(/font-size="([\\d.]+)"/g)].map((m) => Number(m[1]));
    return {src: img.currentSrc, px: Math.min(...sizes) * img.getBoundingClientRect().width / width,
            alt: img.alt};
}"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 1280])
def test_the_flow_chart_text_is_legible_on_a_phone_and_a_laptop(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    open_page(page, f"{site_url}book/separate_or_joint.html")
    img = page.locator('article.bd-article figure img[src$="decision.svg"]')
    img.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle()
    )
    found = img.evaluate(_TEXT_PX)
    assert found["src"].endswith("decision.phone.svg" if width < 576 else "/decision.svg")
    assert found["px"] >= 12, f"the flow chart's text is {found['px']:.1f} px at {width} px"
    assert len(found["alt"]) > 40
    # Its full-size link still opens the wide drawing.
    link = page.locator('article.bd-article figure:has(img[src$="decision.svg"]) .smx-zoom-link')
    assert link.get_attribute("href").endswith("/decision.svg")
    context.close()
