"""The chat labeller against a stub OpenAI-compatible server on 127.0.0.1 (no network)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pandas as pd
import pytest

from discourse.model.tree import complete_tree
from discourse.topics import LabellerError, find_topics
from discourse.topics.llm import ChatLabeller

ROWS = [("a", None, "Ann", "My bees swarmed from the hive this morning."),
        ("b", "a", "Bob", "Catch the bee swarm in a box with a frame of brood."),
        ("c", None, "Cid", "My sourdough starter died again."),
        ("d", "c", "Dee", "Feed the sourdough starter flour and water twice a day.")]


def table():
    return complete_tree(pd.DataFrame([{"comment_id": c, "parent_id": p, "thread_id": "t", "author": a, "text": t}
                                       for c, p, a, t in ROWS]))


@pytest.fixture()
def server():
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            asked.append((self.path, self.headers.get("Authorization"), body))
            content = "swarm catching" if "bee" in body["messages"][1]["content"] else '"sourdough care"\nmore'
            reply = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", asked
    httpd.shutdown()
    httpd.server_close()


def test_labels_come_from_the_users_server(server):
    url, asked = server
    result = find_topics(table(), labeller=ChatLabeller(url, model="stub", api_key="k"))
    level1 = result.subthreads[result.subthreads["level"] == 1].set_index("subthread_id")["label"]
    assert level1["a"] == "swarm catching" and level1["c"] == "sourdough care"
    assert {path for path, _, _ in asked} == {"/v1/chat/completions"}
    assert {auth for _, auth, _ in asked} == {"Bearer k"}
    assert {body["model"] for _, _, body in asked} == {"stub"} and all(b["temperature"] == 0 for _, _, b in asked)
    # Threads are not asked about: the default labeller's label.
    assert len(asked) == len(result.topics) + 2


def test_an_unreachable_server_is_one_clear_error():
    with pytest.raises(LabellerError, match="127.0.0.1:9/v1 gave no label"):
        find_topics(table(), labeller=ChatLabeller("http://127.0.0.1:9/v1", model="x", timeout=2))
