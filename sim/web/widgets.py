"""The page's building blocks: a slider that reports when let go, a figure, a table.

A figure is shown as SVG, sharp at any size, and enlarges to the window on a click; it comes
with its PNG and SVG files to download, a table with its CSV; the file names
say what is shown (the scenario, the period), so that downloads do not overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import solara
from reacton.ipyvue import use_event

from sim.web import files, views
from sim.web.charts import Picture


@solara.component
def Slider(
    label: str,
    value: float,
    low: float,
    high: float,
    step: float,
    on_change: Callable[[Any], None],
    hint: str = "",
    note: str = "",
) -> None:
    """A slider with its value (and a ``note``) in its label; it reports when let go or keyed.

    A slider reports while it is dragged, and each value would start a run: this one reports
    the value it is let go at (or that an arrow key sets).
    """
    with solara.Column(gap="0px", classes=["sim-slider"]):
        with solara.Tooltip(hint or label):
            solara.Text(f"{label} = {value:g}{note}", classes=["sim-slider-label"])
        slider = solara.v.Slider(
            v_model=value,
            min=low,
            max=high,
            step=step,
            dense=True,
            hide_details=True,
            thumb_label=True,
        )
        use_event(slider, "change", lambda *event: on_change(event[-1]))


@solara.component
def Folded(summary: str, content: Callable[[], object]) -> None:
    """A section that opens on a click and builds its content only once it is open.

    Solara's ``Details`` makes its content's widgets while closed too; a closed ``Folded``
    sends the browser nothing but its title (the sidebar's 59 other parameters' sliders).
    """
    opened = solara.use_reactive(False)
    with (
        solara.v.ExpansionPanels(
            v_model=0 if opened.value else None, on_v_model=lambda v: opened.set(v == 0)
        ),
        solara.v.ExpansionPanel(),
    ):
        solara.v.ExpansionPanelHeader(children=[summary])
        with solara.v.ExpansionPanelContent():
            if opened.value:
                content()


@solara.component
def Figure(picture: Picture | None, empty: str, stem: str) -> None:
    """A figure, with buttons to download it as PNG and SVG (``stem`` names the files)."""
    if picture is None:
        solara.Info(empty, dense=True)
    else:
        Shown(picture, stem)


@solara.component
def Shown(picture: Picture, stem: str) -> None:
    """A figure that enlarges on a click, and its files to download."""
    enlarged = solara.use_reactive(False)
    shown = solara.v.Html(
        tag="img",
        attributes={"src": picture.data_url(), "alt": picture.name, "title": "click to enlarge"},
        class_="sim-figure",
    )
    use_event(shown, "click", lambda *_: enlarged.set(True))
    dialog = solara.v.Dialog(v_model=enlarged.value, on_v_model=enlarged.set, max_width="96vw")
    with dialog, solara.v.Card(class_="sim-enlarged"):
        big = solara.v.Html(  # the figure is sent to the browser again only once it is enlarged
            tag="img",
            attributes={"src": picture.data_url() if enlarged.value else "", "alt": picture.name,
                        "title": "close"},
            class_="sim-figure-large",
        )  # fmt: skip
        use_event(big, "click", lambda *_: enlarged.set(False))
    with solara.Row(gap="8px", classes=["sim-downloads"]):
        solara.FileDownload(
            lambda: picture.file("png"), f"{stem}.png", label="PNG", mime_type="image/png"
        )
        solara.FileDownload(
            lambda: picture.file("svg"), f"{stem}.svg", label="SVG", mime_type="image/svg+xml"
        )


@solara.component
def Table(table: pd.DataFrame, empty: str, stem: str, rows: int = 10) -> None:
    """A table, with a button to download it as CSV (``stem`` names the file)."""
    if table.empty:
        solara.Info(empty, dense=True)
        return
    shown = views.numbered(table)
    solara.DataFrame(shown, items_per_page=rows, scrollable=True)
    with solara.Row(gap="8px", classes=["sim-downloads"]):
        solara.FileDownload(
            lambda: files.csv(shown), f"{stem}.csv", label="CSV", mime_type="text/csv"
        )


@solara.component
def Waiting(pending: bool) -> None:
    """A thin bar that moves while the server computes (and takes its place when it does not)."""
    if pending:
        solara.ProgressLinear(True)
    else:
        solara.v.Html(tag="div", style_="height: 4px")
