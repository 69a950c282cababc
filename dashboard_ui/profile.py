"""The city profile: one city's areas (score, rank, marker) against the medians of all cities
and of its comparison group, its published figures with their sources, strongest and
weakest categories, online services, its rank under every method and across editions.

The city follows what the user found or highlighted on the ranking until they pick one here;
the comparison group follows the city (its state) until they pick one.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cityindex import charts, formats, i18n, views
from cityindex.i18n import t

from .common import (
    KEEP,
    Page,
    chart_spec,
    cited,
    keep_valid,
    localized,
    marker_texts,
    plain,
    provenance_caption,
    show_chart,
    text_table,
)


def _chosen(key: str) -> None:
    st.session_state[f"{key}_chosen"] = True


def default_city(page: Page) -> str:
    """The city the profile shows until the user picks one: the first city found on the
    ranking, else the first highlighted one, else the top of the ranking."""
    found = st.session_state.get("find", "")
    if found:
        matches = page.shown[views.find_cities(page.shown, found)]
        if len(matches):
            return matches.index[0]
    if page.selected:
        return page.selected[0]
    return page.ranking.index[0]


ALL_CITIES = "all"
"""The profile's comparison group "all cities": a value of its own, so that a user's choice of
it survives a link (an empty value would mean "follow the city")."""


def default_peer(page: Page, city_id: str) -> str:
    """The comparison group until the user picks one: the city's state."""
    own_state = f"state:{page.ds.cities.at[city_id, 'state']}"
    return own_state if own_state in page.groups else ALL_CITIES


def chosen_city(page: Page) -> str | None:
    """The city the user picked (or a link named), kept while an edition that does not
    assess it is shown, so that it comes back with an edition that does; None until a pick."""
    ss = st.session_state
    if not ss.get("profile_chosen"):
        return None
    return ss.setdefault("profile_wanted", ss.get("profile"))


def _picked() -> None:
    ss = st.session_state
    ss["profile_chosen"] = True
    ss["profile_wanted"] = ss.get("profile")


def render(page: Page) -> None:
    lang, ss = page.lang, st.session_state
    wanted = chosen_city(page)
    if wanted in page.city_options:
        ss["profile"] = wanted
    else:
        ss["profile"] = default_city(page)
        if wanted:  # picked, but not assessed in this edition: said, not silently replaced
            st.info(t("profile_not_in_edition", lang, city=plain(page.city_name(wanted)),
                      edition=page.edition, shown=plain(page.city_name(ss["profile"]))))
    peer_options = [ALL_CITIES, *page.groups]
    if ss.get("profile_peer_chosen"):
        keep_valid("profile_peer", peer_options)
    left, right = st.columns(2)
    city_id = left.selectbox(t("profile_city", lang), page.city_options, key="profile",
                             format_func=page.city_name, on_change=_picked, persist_state=KEEP)
    if not ss.get("profile_peer_chosen") or "profile_peer" not in ss:
        ss["profile_peer"] = default_peer(page, city_id)
        ss["profile_peer_chosen"] = False
    peer = right.selectbox(t("profile_peer", lang), peer_options, persist_state=KEEP,
                           format_func=lambda g: page.peer_label("" if g == ALL_CITIES else g),
                           **localized("profile_peer", lang, _chosen, ("profile_peer",)))
    if len(page.shown) < len(page.ranking):  # the sidebar's filters narrow the other tabs
        st.caption(t("profile_filters_ignored", lang, n=len(page.ranking)))
    row = page.ranking.loc[city_id]
    st.subheader(" · ".join([
        plain(page.city_name(city_id)),
        f"{t('rank', lang)} {formats.format_integer(row['rank'], lang)}",
        f"{formats.format_number(row['total'], lang)} {t('points_unit', lang)}",
        plain(row["provenance_label"]),
    ]))
    reason = page.current.table["unranked_reason"].get(city_id, "")
    if isinstance(reason, str) and reason:  # why the city has no rank, in the reader's words
        st.caption(plain(i18n.message_text(reason, lang)))
    _areas(page, city_id, peer)
    _published(page, city_id)
    _categories(page, city_id)
    _services(page, city_id)
    _methods_and_history(page, city_id)


def _areas(page: Page, city_id: str, peer: str) -> None:
    lang, current = page.lang, page.current
    profile = views.area_profile(current, city_id, page.groups.get(peer), page.area_names)
    if profile.empty:
        return
    # The group's name goes under the chart, not into the legend, where on a phone it is cut.
    labels = {**page.labels, "this_city": page.city_name(city_id)}  # the legend names it
    show_chart(chart_spec(charts.area_profile, profile, labels=labels, lang=lang),
               profile.pivot(index="area", columns="series", values="score")
               .rename(columns=labels).reset_index(), page, key="profile.area_profile")
    st.caption(t("peer_caption", lang,
                 group=plain(page.peer_label("" if peer == ALL_CITIES else peer))))
    table = current.table
    n = int(table["rank"].notna().sum())
    areas = pd.DataFrame({
        "area": [page.area_names[a] for a in current.area_ids],
        "score": [table.at[city_id, a] for a in current.area_ids],
        "rank": pd.array([table.at[city_id, f"{a}_rank"] for a in current.area_ids],
                         dtype="Int64"),
        "provenance": [i18n.provenance_label(table.at[city_id, f"{a}_provenance"], lang)
                       for a in current.area_ids],
    })
    heading = t("areas_of_city", lang, n=n)
    st.markdown(f"**{heading}**")
    text_table(areas, page, {"area": t("area", lang), "score": t("score", lang),
                             "rank": t("rank", lang), "provenance": t("provenance", lang)},
               alt=heading)


def _published(page: Page, city_id: str) -> None:
    """Which numbers are Bitkom's own, each with its source: a number in the table, the
    sources listed under it with their web addresses as links."""
    lang = page.lang
    figures, sources = published_table(page.source, page.edition, city_id, lang, page.ds)
    st.markdown(f"**{t('published_figures', lang)}**")
    if figures.empty:
        st.caption(t("no_published_figures", lang))
        return
    st.caption(t("published_figures_note", lang))
    text_table(figures, page, {
        "scope_name": t("scope", lang), "rank": t("rank", lang), "points": t("score", lang),
        "rank_change": t("rank_change_published", lang), "status": t("status", lang),
        "source": t("source", lang),
    }, rank_change=("rank_change",), alt=t("published_figures", lang),
       numbers={"points": lambda v: formats.format_as_published(v, lang)})  # 42,7 / 61,09
    # Notes and sources under the table, where they have the width of the page (in a cell of
    # their own, a phone squeezed them into a column of a few letters).
    notes = [f"- {plain(scope)}: {plain(note)}" for scope, note
             in zip(figures["scope_name"], figures["note"], strict=True)
             if isinstance(note, str) and note.strip()]
    if notes:
        st.markdown(f"**{t('notes', lang)}**\n\n" + "\n".join(notes))
    st.markdown(f"**{t('sources', lang)}**\n\n" + "\n".join(
        f"{n}. {cited(text, short=True)}" for n, text in enumerate(sources, start=1)))


@st.cache_resource(show_spinner=False, max_entries=256)
def published_table(source: str, edition: int, city_id: str, lang: str,
                    _dataset) -> tuple[pd.DataFrame, list[str]]:
    """The published figures of one city as the profile shows them, in ``lang``, and their
    sources: each figure's ``source`` is the number (from 1) of its source in the list. The
    same for every method: built once per city, edition and language, shared, never changed
    in place."""
    cats = _dataset.catalogue(edition)
    scope_names = {"total": t("total", lang)}
    for table in (cats.areas, cats.categories):
        scope_names.update(i18n.names_in(table, lang).astype(str).to_dict())
    figures = views.published_figures(_dataset, edition, city_id, scope_names, lang)
    figures["status"] = figures["status"].map(lambda s: i18n.status_label(s, lang))
    # A figure may cite several sources (" ; " between them); each source is listed once.
    cites = [[part.strip() for part in s.split(" ; ") if part.strip()] if isinstance(s, str)
             else [] for s in figures["source"].astype(object)]
    number = {source: n for n, source in
              enumerate(dict.fromkeys(part for parts in cites for part in parts), start=1)}
    sources = list(number)
    figures["source"] = [", ".join(str(number[part]) for part in parts) or None
                         for parts in cites]
    return (figures[["scope_name", "rank", "points", "rank_change", "status", "source",
                     "note"]], sources)


def _categories(page: Page, city_id: str) -> None:
    lang = page.lang
    cat_names = i18n.names_in(page.catalogue.categories, lang).to_dict()
    best, worst = views.category_extremes(page.current, city_id, cat_names)
    if best.empty:
        st.caption(t("no_categories", lang))
        return
    labels = {"category": t("category", lang), "score": t("score", lang),
              "median_all": t("median_all", lang), "provenance": t("provenance", lang)}
    left, right = st.columns(2)
    for where, frame, key in ((left, best, "strongest"), (right, worst, "weakest")):
        with where:
            st.markdown(f"**{t(key, lang)}**")
            marked = frame.assign(provenance=frame["provenance"].map(
                lambda m: i18n.provenance_label(m, lang)))  # a modeled score says so
            text_table(marked, page, labels, alt=t(key, lang))


def _services(page: Page, city_id: str) -> None:
    lang = page.lang
    services = service_table(page.source, page.edition, city_id, lang, page.ds)
    if services.empty:
        st.caption(t("no_services", lang))
        return
    labels = {"service": t("service", lang), "value": t("value", lang),
              "provenance": t("provenance", lang)}
    offered = services["offered"]
    left, right = st.columns(2)
    for where, rows, key in ((left, offered.fillna(False), "services_offered"),
                             (right, ~offered.fillna(True), "services_lacking")):
        with where:
            st.markdown(f"**{t(key, lang)}**")
            text_table(services.loc[rows.to_numpy(dtype=bool)], page, labels,
                       alt=t(key, lang))


@st.cache_resource(show_spinner=False, max_entries=256)
def service_table(source: str, edition: int, city_id: str, lang: str, _dataset) -> pd.DataFrame:
    """The city's online services (``views.city_services``) named and marked in ``lang``: the
    same for every method, so built once per city, edition and language, shared, never
    changed in place."""
    services = views.city_services(_dataset, edition, city_id)
    services["service"] = i18n.names_in(services, lang)
    services["provenance"] = services["provenance"].map(
        lambda p: i18n.provenance_label(p, lang))
    # A yes/no service reads ja/nein, not 1,0/0,0; a share or count stays a number.
    services["value"] = pd.Series([
        i18n.display_value(bool(v), lang) if kind == "yes_no" and pd.notna(v)
        else i18n.display_value(v, lang)
        for v, kind in zip(services["value"], services["kind"], strict=True)
    ], index=services.index, dtype=object)
    return services


def _methods_and_history(page: Page, city_id: str) -> None:
    lang = page.lang
    requests = [(name, None) for name in page.method_names]
    requests += [(page.method_name, edition) for edition in page.ds.editions]
    with st.spinner(t("computing", lang, what=t("history", lang))):
        outcomes = page.scores(requests)  # one look-up (computed once for every session)
    by_method, failed = [], []
    for name, (res, error) in zip(page.method_names, outcomes, strict=False):
        chosen = name == page.method_name
        title = page.method_title(name, page.changed if chosen else None,
                                  own_weights=chosen and bool(page.weights))
        if error:
            failed.append((title, error))
            continue
        if city_id in res.table.index and pd.notna(res.table.at[city_id, "rank"]):
            by_method.append({"method": name, "title": title,
                              "rank": int(res.table.at[city_id, "rank"]),
                              "total": float(res.table.at[city_id, "total"]),
                              "provenance": i18n.provenance_label(
                                  res.table.at[city_id, "provenance"], lang)})
    history = {edition: res for edition, (res, _) in
               zip(page.ds.editions, outcomes[len(page.method_names):], strict=True)
               if res is not None}
    for title, message in failed:
        st.warning(t("method_failed_note", lang, method=plain(title),
                     error=plain(i18n.message_text(message, lang))))
    st.subheader(t("ranks_all_methods", lang))
    by_method = pd.DataFrame(by_method, columns=["method", "title", "rank", "total",
                                                 "provenance"])
    show_chart(chart_spec(charts.rank_by_method, by_method, labels=page.labels,
                          n_cities=len(page.ranking), lang=lang),
               by_method.drop(columns="method").rename(columns={"title": "method"}), page,
               key="profile.rank_by_method")
    st.subheader(t("history", lang))
    past = views.history(history, city_id, page.ds.city_rows("published", city_id))
    marker_text = marker_texts(past["provenance"], lang)
    show_chart(chart_spec(charts.history_chart, past, labels=page.labels,
                          provenance_labels=marker_text, lang=lang),
               past.assign(series=past["series"].map(page.labels),
                           provenance=past["provenance"].map(marker_text)), page,
               key="profile.history_chart")
    provenance_caption(past["provenance"], page)  # a modeled computed rank says so
