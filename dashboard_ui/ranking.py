"""The ranking tab: the bar chart or, one click away, the table (published figures beside the
computed ones, every area score with its rank and its own marker); the downloads under both.

One view is built per run. The chart comes first, as in Our World in Data's chart/table
switch: it answers "where does my city stand", and a first page without the sortable grid is
drawn about 0.5 s sooner (benchmarks/bench_dashboard.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from cityindex import charts, export, formats, i18n, views
from cityindex.i18n import card_text, t

from .common import (
    KEEP,
    Page,
    chart_spec,
    download_buttons,
    localized,
    plain,
    provenance_caption,
    selection_text,
    show_chart,
    show_styled,
    shown_rows,
    text_where_missing,
)

PUBLISHED_COLOR = "#0072B2"
SCORE_PUBLISHED = ("published", "published score")
RANK_PUBLISHED = ("published", "published rank")
"""An area score is blue only where Bitkom published that score (and it is reproduced), an area
rank only where Bitkom published that rank; every other one keeps the table's plain text colour
(computed or modeled). Only the blue cells get a style: pandas parses every styled cell's CSS
on every rerun."""


BAR_FIELDS = ("name", "rank", "total", "state", "provenance")
"""What the ranking bars draw: only these columns key the chart's cache (hashing the whole
ranking, area scores and all, would cost a rerun more than the look-up saves)."""


def ranking_view(page: Page, table: pd.DataFrame) -> pd.DataFrame:
    """The ranking table as shown: the journalist's columns first (rank, change, city, total
    with its marker beside it, so that a modeled total never looks published without a scroll
    sideways; the published rank, points and change with the check against ours), then the
    state and every area's score and rank."""
    lang = page.lang
    columns = {c: table[c] for c in ("rank", "rank_change", "name", "total",
                                     "provenance_label", "published_rank", "published_total")}
    if "published_rank_change" in table:
        columns["published_rank_change"] = table["published_rank_change"]
        columns["published_change_check"] = table["published_change_check"].map(
            lambda v: t(f"check_{v}", lang) if isinstance(v, str) else None)
    columns["state"] = table["state"]
    for area in page.current.area_ids:
        columns[area] = table[area]
        columns[f"{area}_rank"] = table[f"{area}_rank"]
    return pd.DataFrame(columns, index=table.index)  # at once: no copy per inserted column


def _area_style(page: Page, table: pd.DataFrame, view: pd.DataFrame) -> pd.DataFrame:
    """CSS per cell: an area score or rank Bitkom published (and we reproduce) in blue, every
    other one plain — so no modeled area figure looks like Bitkom's. A "published rank" marker
    makes the rank blue, not the score, which is computed."""
    css = np.full(view.shape, "", dtype=object)
    blue = f"color: {PUBLISHED_COLOR}"
    position = {c: i for i, c in enumerate(view.columns)}
    for area in page.current.area_ids:
        markers = table[f"{area}_provenance"]
        for column, published in ((area, SCORE_PUBLISHED), (f"{area}_rank", RANK_PUBLISHED)):
            css[:, position[column]] = np.where(markers.isin(published).to_numpy(), blue, "")
    return pd.DataFrame(css, index=view.index, columns=view.columns)


def render(page: Page) -> None:
    lang = page.lang
    found = st.text_input(t("find_city", lang), key="find", persist_state=KEEP)
    table = page.shown[views.find_cities(page.shown, found)]
    own = f" · {t('with_own_weights', lang)}" if page.weights else ""
    st.caption(f"{plain(card_text(page.method, 'title', lang))}{own} · {page.edition} · "
               + t("n_cities", lang, n=len(table), total=len(page.ranking)))
    if table.empty:
        _nothing_found(page, found)
        return
    st.session_state.setdefault("ranking_view", "chart")
    shown_as = st.radio(t("ranking_view", lang), list(views.RANKING_VIEWS), horizontal=True,
                        help=t("ranking_view_help", lang), persist_state=KEEP,
                        format_func=lambda v: t(f"ranking_view_{v}", lang),
                        **localized("ranking_view", lang))
    colors: list[str] = []
    if shown_as == "table":
        ranking_table(page, table)
        # the colours only where there are Bitkom figures (only they can be blue)
        colors = [t("area_colors_legend", lang)] if len(page.ds.published) else []
    else:
        bars = chart_spec(
            charts.ranking_bars, table[list(BAR_FIELDS)].reset_index(), labels=page.labels,
            highlight=page.selected, lang=lang,
            provenance_labels=dict(zip(table["provenance"], table["provenance_label"],
                                       strict=True)),
        )
        show_chart(bars, None, page, key="ranking.bars")  # its numbers: the table view
    off = views.published_mismatches(page.ranking)
    if len(off):
        st.warning(t("published_mismatch", lang, n=len(off),
                     names=", ".join(plain(n) for n in off["name"].astype(str))))
    # The legends and what the downloads hold, in one caption above the buttons.
    provenance_caption(table["provenance"], page, *colors, t("download_note", lang))
    downloads(page, table)


def ranking_table(page: Page, table: pd.DataFrame) -> None:
    """The table view: a sortable grid of :func:`ranking_view`, numbers in the reader's format,
    the published area figures in blue (:func:`_area_style`)."""
    lang = page.lang
    view = ranking_view(page, table)
    number = formats.number_formatter(lang, decimals=1)
    fmt = {c: number for c in ("total", "published_total", *page.current.area_ids)}
    fmt.update({c: (lambda v: formats.format_integer(v, lang)) for c in view.columns
                if c == "rank" or c == "published_rank" or c.endswith("_rank")})
    fmt.update({c: (lambda v: formats.format_rank_change(v, lang))
                for c in ("rank_change", "published_rank_change") if c in view})
    fmt.update({c: (lambda v: i18n.display_value(v, lang)) for c in
                ("published_change_check", "provenance_label", "state", "name")})
    css = _area_style(page, table, view)
    column = st.column_config
    config = {
        "rank": column.NumberColumn(t("rank", lang), pinned=True),
        "rank_change": column.NumberColumn(t("rank_change", lang),
                                           help=t("rank_change_help", lang)),
        "name": column.TextColumn(t("city", lang), pinned=True),
        "total": column.NumberColumn(t("total", lang)),
        "published_rank": column.NumberColumn(t("published_rank", lang)),
        "published_total": column.NumberColumn(t("published_total", lang)),
        "published_rank_change": column.NumberColumn(t("rank_change_published", lang)),
        "published_change_check": column.TextColumn(t("published_change_check", lang),
                                                    help=t("published_change_check_help", lang)),
        "provenance_label": column.TextColumn(t("provenance", lang)),
        "state": column.TextColumn(t("state", lang)),
        **{a: column.NumberColumn(page.area_names[a], help=t("area_score_help", lang))
           for a in page.current.area_ids},
        **{f"{a}_rank": column.NumberColumn(t("area_rank", lang, area=page.area_names[a]))
           for a in page.current.area_ids},
    }
    view, config, fmt = text_where_missing(view, fmt, config)
    styled = (view.style.format(fmt, na_rep=i18n.MISSING_TEXT).apply(lambda _: css, axis=None)
              .hide(axis="index"))  # hidden anyway: pandas need not render it
    show_styled(styled, width="stretch", hide_index=True, key="ranking_table",
                column_config=config)


def _nothing_found(page: Page, found: str) -> None:
    """Why the table is empty: the filters, or the search (and then whether the name is one of
    the edition's cities that the filters leave out)."""
    lang = page.lang
    if page.shown.empty or not found.strip():
        st.info(t("no_cities", lang))
        return
    elsewhere = page.ranking[views.find_cities(page.ranking, found)]
    if elsewhere.empty:
        st.info(t("no_city_named", lang, text=plain(found.strip()), edition=page.edition))
    else:
        st.info(t("no_city_named_here", lang, text=plain(found.strip()),
                  names=", ".join(plain(n) for n in sorted(elsewhere["name"].astype(str)))))


def downloads(page: Page, table: pd.DataFrame) -> None:
    """The shown rows as a CSV in the reader's convention (German: ``;``, decimal comma, BOM,
    readable headers) and as an Excel workbook with a methodology sheet and the legend of the
    markers; formulas in names are neutralised (cityindex.export). What they hold is said in
    the caption above them (render)."""
    chosen_by = selection_text(page, st.session_state.get("find", ""))
    download_buttons(page, lambda: ranking_download(page, set(table.index), chosen_by),
                     f"cityindex-{page.method_name}-{page.edition}", "download")


def ranking_download(page: Page, ids: set, chosen_by: str = "") -> export.Export:
    """The ranking export (:func:`cityindex.export.ranking_export`) of the rows ``ids`` only;
    its methodology says how many rows of the edition's it holds and what chose them."""
    whole = export.ranking_export(page.current, page.ds, previous=page.previous)
    return shown_rows(whole, ids, chosen_by)
