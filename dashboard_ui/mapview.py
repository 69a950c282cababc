"""The map tab: the cities on an offline map of the 16 states, sized by population."""

from __future__ import annotations

import streamlit as st

from cityindex import charts, views
from cityindex.i18n import t

from .common import (
    KEEP,
    Page,
    chart_spec,
    localized,
    plain,
    provenance_caption,
    show_chart,
)


def render(page: Page) -> None:
    lang, shown = page.lang, page.shown
    st.session_state.setdefault("color", "total")
    color_by = st.radio(t("color_by", lang), list(views.COLOR_BY), **localized("color", lang),
                        horizontal=True, persist_state=KEEP,
                        format_func=lambda c: t("by_score" if c == "total" else "by_rank", lang))
    st.caption(t("map_caption", lang))
    if shown.empty:
        st.info(t("no_cities", lang))
        return
    drawn = shown[[c for c in shown.columns if c in charts.MAP_FIELDS]]  # the cache's key
    city_map = chart_spec(charts.city_map, page.topology, drawn, color_by=color_by,
                          labels=page.labels, highlight=page.selected, lang=lang, height=520)
    show_chart(city_map, shown[["rank", "name", "state", "total", "population",
                                "provenance_label", "lat", "lon"]], page,
               decimals={"lat": 2, "lon": 2},  # points as Bitkom writes them: 90,2
               key="mapview.city_map")
    provenance_caption(shown["provenance"], page)  # what the colours rest on
    no_coords = shown[shown["lat"].isna() | shown["lon"].isna()]
    if len(no_coords):
        st.caption(t("no_coordinates", lang, n=len(no_coords),
                     names=", ".join(plain(n) for n in no_coords["name"])))
