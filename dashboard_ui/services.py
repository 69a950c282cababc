"""The online-services tab: the share of cities offering each service (computed and
published), one service across editions, and a map of who offers it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cityindex import charts, views
from cityindex.dataset import VALUE_PROVENANCE
from cityindex.i18n import names_in, provenance_label, t

from .common import (
    KEEP,
    Page,
    chart_spec,
    keep_valid,
    localized,
    marker_texts,
    provenance_caption,
    service_shares,
    show_chart,
)


def render(page: Page) -> None:
    lang, labels = page.lang, page.labels
    shares = service_shares(page.source, page.ds).copy()
    if shares.empty:
        st.info(t("no_services", lang))
        return
    shares["service"] = names_in(shares, lang)
    this = shares[shares["edition"] == page.edition].copy()
    st.subheader(f"{t('service_shares', lang)} · {page.edition}")
    st.caption(t("share_note", lang))
    if len(page.shown) < len(page.ranking):  # the filters narrow the map only
        st.caption(t("shares_filters_ignored", lang, n=len(page.ranking)))
    if len(this):
        # the bars coloured by the provenance of the values a share is computed from
        show_chart(chart_spec(charts.service_share_bars, this, labels=labels, lang=lang,
                              provenance_labels=marker_texts(this["provenance"], lang)),
                   this[["service", "share_computed", "share_published", "n_values",
                         "provenance"]].assign(provenance=this["provenance"].map(
                             lambda m: provenance_label(m, lang))),
                   page, key="services.service_share_bars")
        provenance_caption(this["provenance"], page)
    service_ids = list(dict.fromkeys(this["indicator_id"]))
    keep_valid("service", service_ids)
    if not service_ids:
        return
    st.session_state["_service_default"] = service_ids[0]  # left out of the link
    service_names = dict(zip(this["indicator_id"], this["service"], strict=True))
    service_id = st.selectbox(t("choose_service", lang), service_ids, persist_state=KEEP,
                              format_func=service_names.get, **localized("service", lang))
    over_time = shares[shares["indicator_id"] == service_id].melt(
        id_vars=["edition"], value_vars=["share_computed", "share_published"],
        var_name="series", value_name="share",
    )
    markers = shares.loc[shares["indicator_id"] == service_id, "provenance"]
    present = set(markers)  # a share from published values only is "computed"
    weakest = next((m for m in VALUE_PROVENANCE[:0:-1] if m in present), "computed")
    show_chart(chart_spec(charts.service_share_history, over_time, labels=labels, lang=lang,
                          computed=weakest),
               over_time.assign(series=over_time["series"].map(labels)), page,
               key="services.service_share_history")
    provenance_caption(markers, page)
    st.subheader(t("offer_map", lang))
    offers = views.service_offers(page.ds, page.edition, service_id)
    offers = offers[offers.index.isin(page.shown.index)]
    if offers.empty:
        st.info(t("no_cities", lang))
        return
    markers = offers["provenance"]
    offers["offer"] = offers["offered"].map(
        lambda o: labels["unknown"] if pd.isna(o)
        else labels["offered"] if o else labels["not_offered"])
    # the values' provenance in the legend's title and in a caption under the map
    show_chart(chart_spec(charts.offer_map, page.topology, offers, labels=labels,
                          provenance_labels=marker_texts(markers, lang),
                          highlight=page.selected, lang=lang, height=520),
               offers[["name", "state", "offer", "value", "provenance"]].assign(
                   provenance=markers.map(lambda m: provenance_label(m, lang))),
               page, key="services.offer_map")
    provenance_caption(markers.dropna(), page)
