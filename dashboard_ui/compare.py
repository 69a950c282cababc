"""The compare tab: the chosen methods side by side — ranks, scores, movers, correlations —
with a note for every method that cannot score this edition."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cityindex import charts, export, views
from cityindex.engine import method_label
from cityindex.i18n import message_text, t

from .common import (
    KEEP,
    Page,
    chart_spec,
    comparison,
    download_buttons,
    keep_valid,
    localized,
    plain,
    provenance_caption,
    selection_text,
    show_chart,
    shown_rows,
)


def render(page: Page) -> None:
    lang, shown = page.lang, page.shown
    ss = st.session_state
    ss.setdefault("compare", page.method_names)
    keep_valid("compare", page.method_names, multi=True)
    chosen = st.multiselect(t("compare_methods", lang), page.method_names, persist_state=KEEP,
                            format_func=page.method_title, **localized("compare", lang))
    if len(chosen) < 2:
        st.info(t("compare_need_two", lang))
        return
    if shown.empty:
        st.info(t("no_cities", lang))
        return
    # The chosen method as the sidebar set it: its parameters and the own weights.
    specs = tuple((n, views.params_key(page.changed), views.params_key(page.weights))
                  if n == page.method_name else (n, (), ()) for n in chosen)
    with st.spinner(t("computing", lang, what=t("tab_compare", lang))):
        cmp, failed = comparison(page.source, specs, page.edition, page.ds, page.registry)
    titles = {method_label(name, dict(params)):
              page.method_title(name, dict(params), own_weights=bool(weights))
              for name, params, weights in specs}
    for label, message in failed:  # named by its title, as everywhere else
        st.warning(t("method_failed_note", lang, method=plain(titles.get(label, label)),
                     error=plain(message_text(message, lang))))
    if cmp is None:
        st.info(t("compare_need_two", lang))
        return
    if len(cmp.left_out):
        st.caption(t("left_out", lang, n=len(cmp.left_out),
                     names=", ".join(plain(n) for n in cmp.left_out["name"])))
    method_labels = list(cmp.labels)
    in_view = cmp.ranks.index.isin(shown.index)
    long = views.ranks_long(cmp.ranks, cmp.names)
    long = long[long["city_id"].isin(shown.index)]
    st.subheader(t("bump_title", lang))
    marked = page.selected or list(shown.index[:5])
    show_chart(chart_spec(charts.rank_bump, long, labels=page.labels, highlight=marked,
                                method_order=method_labels, method_titles=titles, lang=lang),
               _named(cmp.ranks.loc[in_view].sort_values(method_labels[0], kind="stable")
                      .rename(columns=titles), cmp.names),
               page, key="compare.rank_bump")
    # what the compared ranks rest on (every method scores the same values)
    provenance_caption(pd.concat([r.table["provenance"].reindex(shown.index).dropna()
                                  for r in cmp.results]), page)
    names = {method_label(name, dict(params)): name for name, params, _ in specs}
    for key in ("cmp_x", "cmp_y"):  # a method's plain name, where its label has parameters
        same = [label for label, name in names.items() if name == ss.get(key)]
        if ss.get(key) not in method_labels and len(same) == 1:
            ss[key] = same[0]  # ?method=geometric&p.floor=5&x=geometric
    keep_valid("cmp_x", method_labels)
    keep_valid("cmp_y", method_labels)
    ss["_cmp_default_x"], ss["_cmp_default_y"] = method_labels[0], method_labels[1]
    ss.setdefault("cmp_x", method_labels[0])
    ss.setdefault("cmp_y", method_labels[1])
    left, right = st.columns(2)
    x = left.selectbox(t("scatter_x", lang), method_labels, persist_state=KEEP,
                       format_func=titles.get, **localized("cmp_x", lang))
    y = right.selectbox(t("scatter_y", lang), method_labels, persist_state=KEEP,
                        format_func=titles.get, **localized("cmp_y", lang))
    if x == y:  # one method against itself: every city on the diagonal, nobody moves
        st.info(t("compare_same_axes", lang))
        _correlations(page, cmp, titles)
        _downloads(page, cmp)
        return
    scores = cmp.scores.join(cmp.names).loc[in_view]
    st.subheader(t("scatter_title", lang, x=titles[x], y=titles[y]))
    show_chart(chart_spec(charts.score_scatter, scores.reset_index(), x, y, labels=page.labels,
                                    highlight=page.selected, method_titles=titles, lang=lang),
               _named(cmp.scores.loc[in_view, [x, y]].rename(columns=titles), cmp.names),
               page, key="compare.score_scatter")
    moves = cmp.movers(x, y)
    moves = moves[moves.index.isin(shown.index)]
    st.subheader(t("movers", lang))
    st.caption(f"{plain(titles[x])} → {plain(titles[y])}")
    show_chart(chart_spec(charts.movers_bars, moves.reset_index(), highlight=page.selected,
                          lang=lang, labels={**page.labels, "rank_base": titles[x],
                                             "rank_other": titles[y]}),
               moves.rename(columns={"rank_base": titles[x], "rank_other": titles[y]})
               .reset_index(), page, key="compare.movers_bars", rank_change=("shift",))
    _correlations(page, cmp, titles)
    _downloads(page, cmp)


def _downloads(page: Page, cmp) -> None:
    """The comparison as CSV and Excel (``cityindex.export.comparison_export``): every
    method's rank, points, provenance marker and shift for the shown cities, the correlation
    matrices, and a methodology sheet naming each method with its parameters and what chose
    the rows."""
    st.caption(t("compare_download_note", page.lang))
    ids, chosen_by = set(page.shown.index), selection_text(page)
    download_buttons(page, lambda: comparison_download(page, cmp, ids, chosen_by),
                     f"cityindex-vergleich-{page.edition}" if page.lang == "de"
                     else f"cityindex-comparison-{page.edition}", "compare_download")


def comparison_download(page: Page, cmp, ids: set, chosen_by: str = "") -> export.Export:
    """The comparison's export (:func:`cityindex.export.comparison_export`) of the cities
    ``ids`` only, its methodology saying how many and what chose them."""
    return shown_rows(export.comparison_export(cmp, page.ds, registry=page.registry), ids,
                      chosen_by)


def _named(table, names):
    """A table of cities (index city_id) for reading: the city's name first, its id last."""
    named = table.join(names)
    columns = ["name", *[c for c in named.columns if c != "name"]]
    return named[columns].reset_index()[[*columns, named.index.name or "index"]]


def _correlations(page: Page, cmp, titles: dict[str, str]) -> None:
    """Spearman and Kendall side by side, over every city all methods rank, filters or not
    (a filter may leave one city: no correlation): the caption says so."""
    lang = page.lang
    over = t("correlations_over", lang, n=len(cmp.ranks) - len(cmp.left_out))
    filtered = len(page.shown) < len(page.ranking)
    st.caption(f"{over} {t('correlations_filters', lang)}" if filtered else over)
    left, right = st.columns(2)
    for column, key in ((left, "spearman"), (right, "kendall")):
        with column:
            matrix = getattr(cmp, key)
            show_chart(chart_spec(charts.correlation_heatmap, views.correlation_long(matrix),
                                  title=t(key, lang), labels=page.labels,
                                  method_titles=titles, lang=lang),
                       matrix.rename(index=titles, columns=titles).reset_index(names="method"),
                       page, decimals=3, key=f"compare.{key}")
