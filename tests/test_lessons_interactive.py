"""The lessons in a real browser: the backward stepper is clicked through, and graph labels are measured.

Headless Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
Chromium reads JSON commands, each ended by a NUL byte, on file descriptor 3, and writes its
answers and events on descriptor 4), with nothing but Python's standard library. So the test
can do what `--dump-dom` cannot: press a button the way a user does (a mouse press and release
at the button's place on the screen, which Chromium hit-tests like any click), then read what
the page shows. Pages are opened from disk (file://), as a learner who downloaded the site would.

The site is built once per test session by conftest.py's `build` fixture (`mkdocs build --strict`).
"""

import base64
import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path

from test_lessons import CHROMIUM_FLAGS, built_page, find_chromium

from tinygrad_edu import Value
from tinygrad_edu.autograd import topological_order

WINDOW = (1280, 900)  # the window width the issue asks the lessons to be readable at
STEPPER_PAGE = "02-scalar-engine.md"
MIN_LABEL_PX = 10.0  # the smallest graph label text, in CSS pixels, that counts as readable
GRAPH_PAGES = ["01-chain-rule.md", "02-scalar-engine.md", "04-tensors.md", "05-report-derivation.md"]


def lesson_two_neuron():
    """The neuron of lesson 2's stepper, rebuilt: tanh(w1·x1 + w2·x2 − bias), and its names."""
    x1, x2 = Value(2.0), Value(0.5)
    w1, w2, bias = Value(-0.5), Value(1.5), Value(0.25)
    out = (w1 * x1 + w2 * x2 - bias).tanh()
    return out, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "bias": bias, "out": out}


def test_clicking_through_the_stepper_ends_on_the_gradients_of_backward(site, tmp_path):  # noqa: F811
    url = built_page(site, STEPPER_PAGE).resolve().as_uri()
    with Browser(find_chromium(), tmp_path / "profile") as browser:
        browser.open(url)
        assert browser.evaluate("document.querySelectorAll('.backward-stepper').length") == 1
        first = browser.evaluate(STEPPER_STATE)
        assert first["counter"].startswith("step 0 of "), first["counter"]
        assert {node["grad"] for node in first["nodes"]} == {"grad 0.0000"}, "before Next, every grad is 0"
        assert first["previousDisabled"] and not first["nextDisabled"]

        total = int(first["counter"].split(" of ")[1])
        states = [first]
        for _ in range(total):
            browser.click(".backward-stepper .stepper-next")
            states.append(browser.evaluate(STEPPER_STATE))
        last = states[-1]
        assert last["counter"] == f"step {total} of {total}" and last["nextDisabled"]

        browser.click(".backward-stepper .stepper-previous")
        assert browser.evaluate(STEPPER_STATE)["nodes"] == states[-2]["nodes"], "Previous undoes Next"

    out, names = lesson_two_neuron()
    out.backward()
    nodes = topological_order(out)
    assert total == len(nodes), "one step per node of the graph"
    expected = sorted((f"data {node.data:.4f}", f"grad {node.grad:.4f}", node.grad) for node in nodes)
    shown = sorted((node["data"], node["grad"], float(node["exact"])) for node in last["nodes"])
    assert shown == expected, "the last step's gradients (text and exact) differ from Value.backward()'s"
    by_name = {node["name"]: node for node in last["nodes"]}
    for name, value in names.items():
        assert by_name[name]["grad"] == f"grad {value.grad:.4f}", f"{name}: shown {by_name[name]}"
        assert float(by_name[name]["exact"]) == value.grad, f"{name}: shown {by_name[name]}, {value.grad!r}"

    highlighted = [state["final"] for state in states[1:]]
    assert all(len(final) == 1 for final in highlighted), "each step highlights exactly one node as final"
    order = [f"data {node.data:.4f}" for node in reversed(nodes)]
    assert [final[0] for final in highlighted] == order, "the steps follow the reverse topological order"


def test_graph_labels_are_at_least_10_px_at_a_1280_px_window(site, tmp_path):  # noqa: F811
    sizes = {}
    with Browser(find_chromium(), tmp_path / "profile") as browser:
        for page in GRAPH_PAGES:
            browser.open(built_page(site, page).resolve().as_uri())
            heights = browser.evaluate(LABEL_HEIGHTS)
            assert heights, f"{page}: no graph label found"
            sizes[page] = min(heights)
    print("smallest rendered label font size (px):", sizes)
    small = {page: round(px, 1) for page, px in sizes.items() if px < MIN_LABEL_PX}
    assert not small, f"graph labels under {MIN_LABEL_PX} px at a {WINDOW[0]}-px window: {small}"


# What the stepper shows: one entry per value box of its graph (its data and grad text, and the
# exact gradient in data-grad), the highlighted node, the step counter and the buttons' state.
STEPPER_STATE = """(() => {
  const root = document.querySelector('.backward-stepper');
  const nodes = [...root.querySelectorAll('g.node')].filter(g => g.querySelector('polygon'));
  const fields = g => [...g.querySelectorAll('text')].map(t => t.textContent);
  const describe = g => ({
    name: fields(g)[0],
    data: fields(g).find(t => t.startsWith('data ')),
    grad: fields(g).find(t => t.startsWith('grad ')),
    exact: g.getAttribute('data-grad'),
  });
  return {
    nodes: nodes.map(describe),
    final: nodes.filter(g => g.classList.contains('stepper-final')).map(g => describe(g).data),
    counter: root.querySelector('.stepper-counter').textContent,
    previousDisabled: root.querySelector('.stepper-previous').disabled,
    nextDisabled: root.querySelector('.stepper-next').disabled,
  };
})()"""

# The rendered font size of every text of every graphviz graph on the page: the SVG's font-size
# attribute scaled by how much the browser shrinks or grows the drawing to fit the page.
LABEL_HEIGHTS = """(() => [...document.querySelectorAll('svg g.node text, svg g.edge text')].map(t => {
  const size = parseFloat(t.getAttribute('font-size'));
  const scale = t.getScreenCTM().a;
  return size * scale;
}))()"""


class Browser:
    """Headless Chromium at a 1280-px window, driven over the DevTools protocol on a pipe."""

    def __init__(self, chromium, profile):
        self._commands_read, self._commands = os.pipe()  # we write, Chromium reads (its fd 3)
        self._events, self._events_write = os.pipe()  # Chromium writes (its fd 4), we read
        # Chromium's ends must not be fds 3 or 4 themselves: the shell's `3<&a 4>&b` below would
        # then overwrite one with the other. Move them above 9 first (bash, unlike dash, takes
        # two-digit descriptors in a redirection).
        self._commands_read = _moved_above_9(self._commands_read)
        self._events_write = _moved_above_9(self._events_write)
        arguments = [
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        # the shell moves our pipe ends to descriptors 3 and 4, where Chromium looks for them
        redirect = f'exec "$0" "$@" 3<&{self._commands_read} 4>&{self._events_write}'
        self._process = subprocess.Popen(
            ["/bin/bash", "-c", redirect, chromium, *arguments],
            pass_fds=(self._commands_read, self._events_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(self._commands_read)
        os.close(self._events_write)
        self._buffer = b""
        self._seen_events = []  # events that arrived while waiting for a command's answer
        self._next_id = 0
        self._session = None

    def __enter__(self):
        targets = self._send("Target.getTargets")["targetInfos"]
        page = next(target for target in targets if target["type"] == "page")
        attached = self._send("Target.attachToTarget", targetId=page["targetId"], flatten=True)
        self._session = attached["sessionId"]
        self._send("Page.enable")
        self._send("Emulation.setDeviceMetricsOverride", width=WINDOW[0], height=WINDOW[1],
                   deviceScaleFactor=1, mobile=False)
        return self

    def __exit__(self, *exc_info):
        try:
            self._send("Browser.close", session=False)
        except (OSError, TimeoutError, RuntimeError):
            pass
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._commands)
        os.close(self._events)
        return False

    def open(self, url):
        """Load `url` and wait for its load event and for its scripts to settle."""
        self._seen_events.clear()
        self._send("Page.navigate", url=url)
        self._wait_for_event("Page.loadEventFired")
        self.evaluate("new Promise(done => setTimeout(done, 300))", await_promise=True)

    def evaluate(self, expression, await_promise=False):
        """The value of a JavaScript expression in the page (JSON-like values only)."""
        result = self._send("Runtime.evaluate", expression=expression, returnByValue=True,
                            awaitPromise=await_promise)
        if "exceptionDetails" in result:
            raise RuntimeError(f"the page's JavaScript raised: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector):
        """Scroll the element into view and press and release the mouse's left button on its middle."""
        found = self.evaluate(f"""(() => {{
          const element = document.querySelector({json.dumps(selector)});
          if (!element) return null;
          element.scrollIntoView({{block: 'center'}});
          const box = element.getBoundingClientRect();
          return [box.left + box.width / 2, box.top + box.height / 2];
        }})()""")
        assert found, f"nothing on the page matches {selector}"
        x, y = found
        for kind in ("mousePressed", "mouseReleased"):
            self._send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def send(self, method, **params):
        """Send a DevTools command to the page (e.g. "CSS.getPlatformFontsForNode"); its result."""
        return self._send(method, **params)

    def screenshot(self, path):
        """Save what the window shows as a PNG file."""
        data = self._send("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def _send(self, method, session=True, **params):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session and self._session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if "method" in reply:
                self._seen_events.append(reply["method"])
            elif reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method} failed: {reply['error']}")
                return reply["result"]

    def _wait_for_event(self, method):
        while method not in self._seen_events:
            self._seen_events.append(self._receive().get("method"))
        self._seen_events.clear()

    def _receive(self, timeout=180):
        """The next message from Chromium."""
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._events], [], [], left)[0]:
                raise TimeoutError(f"Chromium sent nothing for {timeout} s")
            chunk = os.read(self._events, 1 << 16)
            if not chunk:
                raise RuntimeError(f"Chromium closed its pipe (exit code {self._process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)


def _moved_above_9(fd):
    """The same pipe end under a descriptor number of at least 10 (the original is closed)."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved
