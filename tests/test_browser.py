"""The dashboard in a real browser: Playwright drives Debian's chromium (never a downloaded
browser) against ``streamlit run dashboard.py`` on a free port, started once for the module.

Outside CI the tests skip when chromium or playwright is missing; in CI (``CI=true``) they
fail instead, because ``.ci/run`` installs chromium. Screenshots of every tab go to
``test-artifacts/`` (and also to ``$CITYINDEX_SCREENSHOTS`` when set, e.g. ``docs/screenshots``
to refresh the committed ones).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CITYINDEX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"
CHART = '[data-testid="stVegaLiteChart"] svg'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
# Tab ids as in cityindex.views.TABS, with their German labels (German is the default).
TABS = {
    "ranking": "Rangliste",
    "map": "Karte",
    "compare": "Methodenvergleich",
    "profile": "Stadtprofil",
    "robustness": "Robustheit",
    "services": "Online-Dienste",
    "methods": "Methoden und Daten",
}


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"chromium is not installed at {CHROMIUM}"
    return None


def _require_browser() -> None:
    problem = _missing_browser()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI, but {problem}")
    pytest.skip(problem)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_dashboard(port: int, timeout: float = 60.0,
                    env: dict[str, str] | None = None) -> subprocess.Popen:
    """``streamlit run dashboard.py`` on ``port`` (with ``env`` added to the environment),
    returned once it answers its health check."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "streamlit.log", "w")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})})
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.25)
    stop_dashboard(proc)
    raise RuntimeError(f"streamlit did not answer on port {port} within {timeout} s")


def stop_dashboard(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_until_idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the current run (its status widget is gone)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )


def screenshot(page, name: str, element=None) -> None:
    """The page as the viewport shows it, or only ``element`` (a locator), whole."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if element is not None:
        element.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=False)
    extra = os.environ.get("CITYINDEX_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(extra) / path.name)


def axis_labels(page) -> list[str]:
    """The city names on the y axis of the ranking bar chart, top to bottom."""
    return page.evaluate(
        """() => {
            const svg = document.querySelector('[data-testid="stVegaLiteChart"] svg');
            if (!svg) return [];
            // The band axis: the one whose labels are not numbers.
            for (const axis of svg.querySelectorAll('g.role-axis')) {
                const labels = Array.from(axis.querySelectorAll('g.role-axis-label text'))
                    .map(t => t.textContent);
                if (labels.some(l => /[A-Za-zÄÖÜäöüß]/.test(l))) return labels;
            }
            return [];
        }"""
    )


# --- fixtures: one server and one browser for the module ---------------------------------------


@pytest.fixture(scope="module")
def dashboard_url():
    _require_browser()
    port = free_port()
    proc = start_dashboard(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_dashboard(proc)


@pytest.fixture(scope="module")
def browser(dashboard_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1300}, locale="de-DE")
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def expected():
    import cityindex

    ds = cityindex.load_dataset()
    cities = ds.cities.loc[ds.edition_cities(ds.latest_edition)]
    return {
        "bubbles": int((cities["lat"].notna() & cities["lon"].notna()).sum()),
        "cities": len(cities),
    }


# --- tests --------------------------------------------------------------------------------------


def test_map_shows_sixteen_states_and_one_bubble_per_city(page, dashboard_url, expected):
    page.goto(f"{dashboard_url}/?tab=map")
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    wait_until_idle(page)
    svg = page.locator(CHART).first
    assert svg.locator("g.mark-shape.role-mark path").count() == 16
    assert svg.locator("g.mark-symbol.role-mark path").count() == expected["bubbles"]
    assert page.locator(ERRORS).count() == 0
    screenshot(page, "map")


def test_choosing_another_method_redraws_the_ranking_chart(page, dashboard_url, expected):
    page.goto(dashboard_url)
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    wait_until_idle(page)
    before = axis_labels(page)
    assert len(before) == expected["cities"]

    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Methode"
    ).locator("input").click()
    page.get_by_role("option", name="(equal_weights)").click()
    page.wait_for_function(
        """(before) => {
            const svg = document.querySelector('[data-testid="stVegaLiteChart"] svg');
            if (!svg) return false;
            const texts = Array.from(svg.querySelectorAll('g.role-axis-label text'))
                .map(t => t.textContent).filter(l => /[A-Za-zÄÖÜäöüß]/.test(l));
            return texts.length > 5 && texts.join('|') !== before.join('|');
        }""",
        arg=before,
        timeout=30_000,
    )
    wait_until_idle(page)
    after = axis_labels(page)
    assert sorted(after) == sorted(before) and after != before
    assert "method=equal_weights" in page.url
    assert page.locator(ERRORS).count() == 0


def test_the_ranking_table_is_one_click_away(page, dashboard_url, expected):
    """The ranking tab opens on its chart, without the grid; "Tabelle" draws the sortable
    table in its place and puts ``view=table`` into the link."""
    page.goto(dashboard_url)
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    wait_until_idle(page)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.locator('[data-testid="stRadio"]').filter(has_text="Ansicht").get_by_text(
        "Tabelle", exact=True).click()
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.wait_for(state="visible", timeout=60_000)
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('view') === 'table'", timeout=60_000)
    wait_until_idle(page)
    assert page.locator(CHART).count() == 0
    assert page.locator(ERRORS).count() == 0
    screenshot(page, "ranking_table")


def test_every_tab_renders_without_an_error(page, dashboard_url):
    page.goto(dashboard_url)
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    wait_until_idle(page)
    for tab_id, label in TABS.items():
        page.get_by_role("tab", name=label).click()
        if tab_id != "ranking":  # the script writes the tab into the URL when its run ends
            page.wait_for_function(
                "(id) => new URLSearchParams(location.search).get('tab') === id",
                arg=tab_id, timeout=60_000,
            )
        wait_until_idle(page)
        if tab_id != "methods":
            page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
            page.wait_for_timeout(500)  # let Vega finish its transitions before the picture
        else:
            page.get_by_text("bitkom", exact=False).first.wait_for(timeout=30_000)
        assert page.locator(ERRORS).count() == 0, f"error element on tab {tab_id}"
        screenshot(page, tab_id)


def drawn_labels(page, chart_index: int = 0) -> list[dict]:
    """Every text label of a chart's band (name) axis as drawn: its text, whether it is
    visible (Vega hides overlapping labels with opacity 0) and its box."""
    return page.evaluate(
        """(i) => {
            const svg = document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')[i];
            if (!svg) return [];
            for (const axis of svg.querySelectorAll('g.role-axis')) {
                const texts = Array.from(axis.querySelectorAll('g.role-axis-label text'));
                if (!texts.some(t => /[A-Za-zÄÖÜäöüß]/.test(t.textContent))) continue;
                return texts.map(t => {
                    const box = t.getBoundingClientRect();
                    const style = getComputedStyle(t);
                    return {text: t.textContent, opacity: Number(t.getAttribute('opacity') ??
                            style.opacity), weight: t.getAttribute('font-weight') ||
                            style.fontWeight, top: box.top, bottom: box.bottom,
                            height: box.height, left: box.left, right: box.right,
                            svgRight: svg.getBoundingClientRect().right,
                            svgBottom: svg.getBoundingClientRect().bottom};
                });
            }
            return [];
        }""",
        chart_index,
    )


def test_every_city_of_a_state_is_named_on_the_ranking_chart(page, dashboard_url):
    """Before: the NRW chart named 8 of its 30 bars, a highlighted city none. Now each
    of the 30 is drawn, visible, without overlapping its neighbour; the highlighted one bold."""
    import cityindex

    ds = cityindex.load_dataset()
    cities = ds.cities.loc[ds.edition_cities(ds.latest_edition)]
    nrw = cities[cities["state"] == "Nordrhein-Westfalen"]
    page.goto(f"{dashboard_url}/?state=Nordrhein-Westfalen&city=05114000")
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    wait_until_idle(page)
    page.wait_for_timeout(500)
    labels = drawn_labels(page)
    assert sorted(label["text"] for label in labels) == sorted(nrw["name"])
    assert all(label["opacity"] > 0 and label["height"] > 0 for label in labels)
    boxes = sorted(labels, key=lambda label: label["top"])
    assert all(a["bottom"] <= b["top"] + 0.5 for a, b in zip(boxes, boxes[1:], strict=False))
    krefeld = next(label for label in labels if label["text"] == "Krefeld")
    assert krefeld["weight"] in ("bold", "700")
    screenshot(page, "ranking_nrw")


def test_english_and_phone_width_render_every_tab(browser, dashboard_url):
    """The English interface, and a 390 px wide phone in German: every tab draws without an
    error, every legend fits its chart (before: the profile's third entry was cut, and on the
    phone the ranking's, the services' and the Sobol chart's German entries), and the
    slope chart names its eight methods in full, none over another (before, on the phone:
    wrapped titles printed over each other), its names at the lines' ends inside the chart."""
    import cityindex

    registry = cityindex.get_registry()
    for name, viewport, query in (("en", {"width": 1400, "height": 1300}, "lang=en&"),
                                  ("phone", {"width": 390, "height": 844}, ""),
                                  ("de", {"width": 1400, "height": 1300}, "")):
        context = browser.new_context(viewport=viewport, locale="de-DE")
        page = context.new_page()
        try:
            tabs = {"en": ("ranking", "profile", "compare"),  # de: Krefeld's profile, for
                    "phone": ("ranking", "profile", "compare", "services", "robustness"),
                    "de": ("profile",)}[name]  # the picture beside the one before issue 9
            for tab_id in tabs:
                # Freiburg im Breisgau's long name at the end of its line squeezed the
                # slope chart on the phone into one column
                extra = "&city=08311000&city=09162000" if tab_id == "compare" else ""
                page.goto(f"{dashboard_url}/?{query}tab={tab_id}&profile=05114000{extra}")
                page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
                wait_until_idle(page)
                page.wait_for_timeout(500)
                assert page.locator(ERRORS).count() == 0
                # Every legend entry of every chart inside its chart and the screen (on the
                # phone the German "Rang veröffentlicht", "Anteil veröffentlicht (%)" and
                # "Gesamtordnung" were cut)
                overflow = page.evaluate(
                    """() => Array.from(document.querySelectorAll(
                            '[data-testid="stVegaLiteChart"]')).flatMap(chart => {
                        const right = Math.min(chart.getBoundingClientRect().right,
                                               window.innerWidth);
                        return Array.from(chart.querySelectorAll('g.role-legend text'))
                            .filter(t => t.getBoundingClientRect().right > right + 1)
                            .map(t => t.textContent);
                    })""")
                assert overflow == [], (tab_id, overflow)
                if tab_id == "compare":
                    lang = "en" if query else "de"
                    titles = {cityindex.i18n.card_text(registry.method(m), "title", lang)
                              for m in registry}
                    labels = drawn_labels(page)
                    drawn = {label["text"] for label in labels}
                    if name == "phone":  # upright, each on one line
                        assert drawn == titles, labels
                    else:  # wrapped: drawn line by line, the breaks' spaces not in the text
                        assert {d.replace(" ", "") for d in drawn} == {
                            t.replace(" ", "") for t in titles}, labels
                        assert any(label["height"] > 30 for label in labels)  # several lines
                    boxes = sorted(labels, key=lambda label: label["left"])
                    assert all(a["right"] <= b["left"] + 0.5
                               for a, b in zip(boxes, boxes[1:], strict=False)), boxes
                    assert all(label["bottom"] <= label["svgBottom"] + 0.5 for label in labels)
                    ends = page.evaluate(
                        """() => Array.from(document.querySelectorAll(
                            '[data-testid="stVegaLiteChart"] svg')[0].querySelectorAll(
                            'g.mark-text.role-mark text')).map(t => [t.textContent,
                            t.getBoundingClientRect().right])""")
                    assert ends and all(right <= labels[0]["svgRight"] + 0.5
                                        for _, right in ends), ends
                    names = sorted(text for text, _ in ends)  # a long name may end in "…"
                    assert names[0].startswith("Freiburg im B") and names[1] == "München"
                    # the scatter's names inside it: München, the best, was cut at the right
                    # edge on the phone
                    scatter = page.evaluate(
                        """() => { const svg = document.querySelectorAll(
                            '[data-testid="stVegaLiteChart"] svg')[1];
                            const right = svg.getBoundingClientRect().right;
                            return Array.from(svg.querySelectorAll(
                                'g.mark-text.role-mark text')).map(t => [t.textContent,
                                t.getBoundingClientRect().left, t.getBoundingClientRect().right,
                                right]); }""")
                    assert sorted(text for text, *_ in scatter) == [
                        "Freiburg im Breisgau", "München"], scatter
                    assert all(0 <= left and right <= edge + 0.5
                               for _, left, right, edge in scatter), scatter
                    # the chart alone, in a viewport as tall as it (Streamlit's header would
                    # cover its top)
                    page.set_viewport_size({**viewport, "height": 1300})
                    page.wait_for_timeout(500)
                    screenshot(page, f"{tab_id}_{name}",
                               page.locator('[data-testid="stVegaLiteChart"]').first)
                    continue
                screenshot(page, f"{tab_id}_{name}")
        finally:
            context.close()


def _switch_language(page, label: str, wanted_lang: str | None) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text(label, exact=True).click()
    page.wait_for_function(
        "(lang) => (new URLSearchParams(location.search).get('lang') || 'de') === lang",
        arg=wanted_lang or "de", timeout=60_000)
    wait_until_idle(page)
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)


@pytest.mark.parametrize("query", ["", "method=geometric&edition=2022&p.scaling=share_of_best"])
def test_a_language_round_trip_keeps_every_choice(page, dashboard_url, query):
    """Before: German → English → German turned the German label of a choice ("auslassen")
    into its value and broke the page, and reset the method to bitkom. The browser sends a
    selection back as its label, so this is checked in a real browser."""
    page.goto(f"{dashboard_url}/?{query}")
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    wait_until_idle(page)
    before = page.url
    _switch_language(page, "English", "en")
    assert page.locator(ERRORS).count() == 0
    _switch_language(page, "Deutsch", None)
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).first.inner_text()
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(page.url).query) == parse_qs(urlsplit(before).query)
    if "geometric" in query:
        assert page.get_by_text("Geometrisches Mittel der Bereiche", exact=False).count()


def test_numbers_behind_a_chart_stay_open_across_a_language_switch_and_tabs(page,
                                                                            dashboard_url):
    """The table under a chart is built only while its expander is open; the expander stays
    as the user left it when the language changes (a new label) and after a tab round trip
    (a hidden tab's widgets are forgotten), and closing it removes the table."""
    page.goto(f"{dashboard_url}/?tab=map")
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    wait_until_idle(page)
    tables = page.locator('[data-testid="stDataFrame"]')
    assert tables.count() == 0
    page.get_by_text("Zahlen zur Grafik", exact=True).click()
    tables.first.wait_for(state="visible", timeout=30_000)
    _switch_language(page, "English", "en")
    tables.first.wait_for(state="visible", timeout=30_000)
    assert page.get_by_text("Numbers behind the chart", exact=True).count() == 1
    page.get_by_role("tab", name="Ranking").click()
    wait_until_idle(page)
    page.get_by_role("tab", name="Map").click()
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    wait_until_idle(page)
    assert tables.count() == 1  # open again, without a click
    page.get_by_text("Numbers behind the chart", exact=True).click()
    wait_until_idle(page)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length === 0",
        timeout=30_000)
    assert page.locator(ERRORS).count() == 0


def test_the_own_weights_box_stays_open_across_a_language_switch(page, dashboard_url):
    """Opened by hand (no weights in the link), the sidebar's own-weights box keeps open when
    the weights are turned on and off and when the language changes (a new label)."""
    page.goto(dashboard_url)
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    wait_until_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Eigene Gewichte", exact=True).click()
    switch = sidebar.get_by_text("Bereiche selbst gewichten", exact=False)
    switch.wait_for(state="visible", timeout=30_000)
    switch.click()
    wait_until_idle(page)
    switch.click()
    wait_until_idle(page)
    assert switch.is_visible()
    _switch_language(page, "English", "en")
    assert sidebar.get_by_text("Weigh the areas yourself", exact=False).is_visible()
    assert page.locator(ERRORS).count() == 0


def test_names_with_markup_are_drawn_as_written(browser, tmp_path):
    """A dataset's city names are text in the drawn page: no bold, no link (neither a markdown
    one nor a bare web address), no colour, no emoji, no entity, no maths."""
    names = {"A1": "**Aheim**", "B2": "[Bstadt](http://b.example)",
             "C3": "Cburg :red[rot] :smile: http://evil &amp; $x^2$"}
    target = tmp_path / "markup"
    shutil.copytree(REPO / "tests" / "fixtures" / "tiny", target)
    cities = (target / "cities.csv").read_text(encoding="utf-8")
    for old, new in (("Aheim", names["A1"]), ("Bstadt", f'"{names["B2"]}"'),
                     ("Cburg", names["C3"])):
        cities = cities.replace(old, new)
    (target / "cities.csv").write_text(cities, encoding="utf-8")
    port = free_port()
    proc = start_dashboard(port, env={"CITYINDEX_DATA": str(target)})
    context = browser.new_context(viewport={"width": 1400, "height": 1300}, locale="de-DE")
    try:
        page = context.new_page()
        for city, name in names.items():
            page.goto(f"http://127.0.0.1:{port}/?tab=profile&profile={city}")
            heading = page.locator('[data-testid="stMain"] [data-testid="stHeading"] h3').first
            heading.wait_for(state="visible", timeout=60_000)
            wait_until_idle(page)
            shown = heading.inner_text()
            assert shown.replace("\u2060", "").startswith(f"{name} · "), city  # as written
            assert heading.locator("strong, em, code, a[href^='http'], span.katex").count() == 0, \
                heading.inner_html()
            links = page.locator(  # a heading's own anchor (#cburg-…-evil-…) is no link out
                "a[href*='evil']:not([href^='#']), a[href*='b.example']:not([href^='#'])")
            assert links.count() == 0, [links.nth(i).evaluate(
                "a => a.closest('[data-testid]').getAttribute('data-testid') + ': ' + "
                "a.closest('[data-testid]').innerText.slice(0, 200)")
                for i in range(links.count())]
            assert page.locator(ERRORS).count() == 0
    finally:
        context.close()
        stop_dashboard(proc)
