"""network.html: one self-contained page, no request, driven in real headless Chromium where there is one."""

import json
import re
import shutil
from html.parser import HTMLParser

import pytest

from discourse import analyze
from discourse.output.network_html import network_data, render_network_html
from discourse.output.report_html import render_html
from discourse.pipeline import analyze_corpus
from discourse.readers.table import parse_csv

HOSTILE_CSV = """comment_id,parent_id,thread_id,author,created_at,text
h1,,t,</script><b>Eve</b>,2024-01-01T10:00:00Z,<script>alert(1)</script> The bike lane needs paint http://example.com/x.png
h2,h1,t,Mallory & Co,2024-01-01T11:00:00Z,"I reply with <img src=x onerror=alert(2)> about the paint."
h3,h1,t,Ann,2024-01-01T12:30:00Z,Paint the bike lane green.
h4,h2,t,</script><b>Eve</b>,2024-01-02T09:00:00Z,Green paint costs more.
h5,h4,t,Ann,2024-01-02T10:00:00Z,\u2028 Weekend library hours.
"""


@pytest.fixture(scope="module")
def sample():
    return analyze()


@pytest.fixture(scope="module")
def hostile():
    return analyze_corpus(parse_csv(HOSTILE_CSV), name="hostile")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _embedded(page):
    match = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_page_is_self_contained(hostile):
    page = render_network_html(hostile)
    tags = _Tags()
    tags.feed(page)
    assert not [t for t, attrs in tags.tags if t in ("link", "img", "iframe") or "src" in attrs]
    assert [t for t, _ in tags.tags].count("script") == 2   # the data and the code, both inline
    policy = next(a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy
    # input text cannot close the data element or inject markup: it comes back exactly
    data = _embedded(page)
    assert "</script><b>Eve</b>" in [n["name"] for n in data["nodes"]]
    texts = [c[1] for mine in data["comments"].values() for c in mine["list"]]
    assert any("<script>alert(1)</script>" in t for t in texts)
    assert page.count("</script>") == 2


def test_data_matches_the_graph_files(sample):
    from discourse.drawing.style import community_colour, gexf_positions, hex_colour

    data = network_data(sample)
    names = [n["name"] for n in data["nodes"]]
    assert sorted(names) == sorted(sample.graph.nodes)
    positions = gexf_positions(sample.layout)
    colours = dict(data["communities"] and [(c[0], c[1]) for c in data["communities"]])
    for node in data["nodes"]:
        x, y = positions[node["name"]]
        assert (node["x"], node["y"]) == (round(x, 2), round(-y, 2))   # graph.gexf's, y drawn downwards
        if node["community"] is not None:
            assert colours[node["community"]] == hex_colour(community_colour(node["community"]))
    top = sample.central.sort_values("rank")["author"].tolist()
    assert [n["name"] for n in data["nodes"] if n["bold"]] == [n for n in names if n in top[:3]]
    assert names[0] == top[0]                         # nodes in the report's ranking order
    assert data["nodes"][0]["r"] == max(n["r"] for n in data["nodes"])
    assert data["nodes"][0]["card"]["why"] == sample.central.sort_values("rank")["why"].iloc[0]
    links = sum(1 for e in data["edges"] if e[3] == "reply")
    assert links == sum(1 for u, v in sample.graph.edges if u != v)
    assert not [e for e in data["edges"] if e[0] == e[1]]
    assert data["backbone"] == ""


def test_big_graphs_show_their_backbone_and_say_so(sample):
    data = network_data(sample, max_nodes=10, max_edges=5)
    assert len(data["nodes"]) == 10 and len(data["edges"]) <= 5
    assert data["backbone"].startswith("Backbone: the 10 highest-ranked of ")
    assert all(0 <= e[0] < 10 and 0 <= e[1] < 10 for e in data["edges"])


def test_report_links_to_the_page(sample):
    page = render_html(sample)
    assert 'href="network.html"' in page


# --- in a real browser ------------------------------------------------------------------------

def _browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.skip("no headless Chromium and chromedriver here (.ci/run installs them)")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1300,850"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        return webdriver.Chrome(service=Service(driver_path), options=options)
    except Exception as exc:  # a browser that cannot start here is no failure of the page
        pytest.skip(f"headless Chromium does not start: {exc}")


@pytest.fixture(scope="module")
def browser():
    driver = _browser()
    yield driver
    driver.quit()


def test_page_in_headless_chromium(browser, sample, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    path = tmp_path / "network.html"
    path.write_text(render_network_html(sample), encoding="utf-8")
    browser.get(path.as_uri())
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return !!window.discourseNetwork"))
    errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    requests = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    urls = [m["params"]["request"]["url"] for m in requests if m["method"] == "Network.requestWillBeSent"]
    assert urls == [path.as_uri()]                    # the page itself, nothing else
    painted = browser.execute_script("""
        var c = document.getElementById('network'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        var n = 0; for (var i = 0; i < d.length; i += 4) { if (d[i] < 250 || d[i+1] < 250 || d[i+2] < 250) n++; }
        return n;""")
    assert painted > 2000                             # nodes and links drawn, not a blank canvas

    name = sample.central.sort_values("rank")["author"].iloc[1]
    search = browser.find_element(By.ID, "search")
    search.send_keys(name[:5].lower(), Keys.ENTER)
    found = browser.find_element(By.ID, "found").text
    assert found.startswith("Found ") and name[:5].lower() in found.lower()
    search.clear()
    search.send_keys(name, Keys.ENTER)
    assert browser.find_element(By.ID, "found").text.startswith(f"Found {name} ")
    assert browser.find_element(By.CSS_SELECTOR, "#comments h2").text == f"Comments by {name}"
    assert browser.find_elements(By.CSS_SELECTOR, "#comments h3")   # the subthreads of their comments

    browser.find_element(By.ID, "reset").click()
    x, y, _ = browser.execute_script("window.discourseNetwork.draw(); return window.discourseNetwork.screenPosition(arguments[0]);",
                                     name)
    ActionChains(browser).move_to_element_with_offset(browser.find_element(By.TAG_NAME, "body"), 0, 0).perform()
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionBuilder(browser)
    actions.pointer_action.move_to_location(int(round(x)), int(round(y)))
    actions.perform()
    card = browser.find_element(By.ID, "card")
    WebDriverWait(browser, 5).until(lambda d: card.is_displayed())
    assert card.find_element(By.TAG_NAME, "h2").text == name
    assert "replies received" in card.text and "Top partners" in card.text
    search.clear()
    search.send_keys("no such commenter xyz", Keys.ENTER)
    assert browser.find_element(By.ID, "found").text.startswith("No commenter matches")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_notebook_views(sample, hostile):
    from html import unescape

    page = sample._repr_html_()
    top = sample.central.sort_values("rank")
    assert top["author"].iloc[0] in page and top["why"].iloc[0] in page and "Largest subthreads" in page
    assert "<b>Eve</b>" not in hostile._repr_html_()                 # input text stays text
    frame = sample.show_network()._repr_html_()
    assert frame.startswith('<iframe sandbox="allow-scripts"')
    srcdoc = unescape(re.search(r'srcdoc="(.*)"></iframe>$', frame, re.S).group(1))
    assert srcdoc == render_network_html(sample)
