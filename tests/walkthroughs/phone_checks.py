"""What every walkthrough checks on each page a new user sees on a phone, beside what the
page says: it is screenshotted under ``artifacts/screenshots/walkthroughs/``, nothing is
wider than the 390 px screen (a wide table scrolls inside its own box), the buttons and
fields are at least 44 px tall, and no English is left on the page where Chinese belongs."""

from __future__ import annotations

import re

from tests.browser import SHOTS as ALL_SHOTS
from tests.factories import PASSWORD

SHOTS = ALL_SHOTS / "walkthroughs"
TAP = 44
# Words of the workbench's English source that would show a missing translation; codes,
# units and brand names (PDF, XLSX, kg, SC, CNY) are left alone.
ENGLISH = re.compile(r"\b(?:the|and|your|with|Save|Send|Apply|Licence|Broadcast|Review|"
                     r"Upload|Submit|Cancel|Delete|Download|Export|Report|Status|None)\b")

_MEASURE = """(root) => {
  const wide = [];
  const vw = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || getComputedStyle(el).visibility === 'hidden') continue;
    // Inside a box that scrolls on its own is fine: the page itself does not move.
    let scroller = el.parentElement, inside = false;
    while (scroller && scroller !== document.body) {
      const o = getComputedStyle(scroller).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { inside = true; break; }
      scroller = scroller.parentElement;
    }
    if (!inside && box.right > vw + 1) wide.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  const small = [];
  const targets = ['button', '.button', '.chips a', '.tools a', 'td a', 'ul.links a', 'select', 'summary',
    'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])'];
  for (const el of document.querySelectorAll(targets.map(t => root + ' ' + t).join(','))) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
    if (box.height < %d - 0.5) small.push(el.tagName + ' "' + (el.innerText || el.name || '').trim().slice(0, 30) + '" ' + Math.round(box.height));
  }
  return {wide: wide.slice(0, 8), small: small.slice(0, 8), scroll: document.documentElement.scrollWidth, vw};
}""" % TAP


def shot(page, name: str):
    """Screenshot the page as the user sees it, then check it fits a phone."""
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
    fits(page, name)


def fits(page, name: str = ""):
    # The workbench's pages have a <main>; the county's printable report is all body.
    root = "main" if page.locator("main").count() else "body"
    found = page.evaluate(_MEASURE, root)
    assert found["scroll"] <= found["vw"] + 1 and not found["wide"], \
        f"{name}: wider than the phone: {found}"
    assert not found["small"], f"{name}: targets under {TAP}px: {found['small']}"
    text = page.inner_text(root)
    assert not ENGLISH.search(text), f"{name}: English on the page: {ENGLISH.findall(text)}"


def sign_in(page, url, email, target="/work/"):
    """Sign in through the shared sign-in page as a person would, then open ``target``."""
    page.goto(f"{url}/account/sign-in/?next={target}")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_url(f"{url}{target}")


def sign_in_from_nothing(page, url, email):
    """Sign in from the shop's sign-in page without a ``next``, as a person told "sign in at
    the pavilion" would: returns where the platform takes them."""
    page.goto(f"{url}/account/sign-in/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_load_state("networkidle")
    return page.url.removeprefix(url)


def progress(page, role: str) -> str:
    """The "done of total" line of a role's first-steps checklist on the workbench home."""
    return page.inner_text(f"#first-steps-{role} [data-progress]")


def progress_at_home(page, role: str) -> str:
    """Back to the workbench home by its bottom tab, then ``progress`` of ``role``."""
    page.click("nav.wb-tabs a[href='/work/']")
    return progress(page, role)


def no_dead_end(page, home="/work/"):
    """The page offers a visible way back home (the bottom tabs, the breadcrumbs or a
    button), so a new user is never stranded."""
    links = page.locator(f"a[href='{home}']:visible")
    assert links.count(), f"{page.url}: no way back to {home}"
