"""The Smart City Index dashboard: ``streamlit run dashboard.py`` (or ``make run``).

A thin layer: it reads widgets, calls the core package (``cityindex``), shapes tables with
``cityindex.views`` and draws them with ``cityindex.charts``. Methods come from the plugin
registry only, so a third-party method appears here without a change to this file. The view
(edition, method, parameters, filters, cities, tab) lives in the URL query.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

import cityindex
from cityindex import charts, views
from cityindex.i18n import (
    LANGUAGES,
    card_text,
    name_column,
    provenance_label,
    provenance_legend,
    t,
)

REPO_TOPOLOGY = Path(__file__).resolve().parent / "data" / "geo" / "germany-states.topo.json"
DEFAULT_METHOD = "bitkom"
KEEP = "session"  # widget values survive while their tab is not shown

# --- cached loading and scoring (hashable arguments only) --------------------------------------


def data_signature(folder: Path) -> tuple[tuple[str, int], ...]:
    """File names and modification times: a changed file reloads the dataset."""
    return tuple((f.name, f.stat().st_mtime_ns) for f in sorted(folder.glob("*.csv")))


@st.cache_resource(show_spinner=False)
def load_dataset(folder: str, signature: tuple) -> cityindex.Dataset:
    # A resource, not data: the dataset is read-only, and copying ~7 MB on every rerun (as
    # st.cache_data would) costs more than the scoring itself.
    return cityindex.load_dataset(folder)


@st.cache_resource(show_spinner=False)
def load_topology(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def plugin_names() -> tuple[str, ...]:
    """The registered plugins and what failed to load: the registry's cache key."""
    pm = cityindex.get_plugin_manager()
    names = sorted(name for name, _ in pm.list_name_plugin())
    return (*names, *(f"failed: {f}" for f in getattr(pm, "failures", ())))


@st.cache_resource(show_spinner=False)
def method_registry(plugins: tuple[str, ...]):
    # Keyed on the registered plugin names, so an in-process registration shows up.
    return cityindex.get_registry()


SCORING_ERRORS = (cityindex.MethodError, cityindex.MethodDataError, cityindex.ParameterError)


@st.cache_data(show_spinner=False, max_entries=512)
def score(source: tuple, method: str, edition: int, params: tuple):
    """``(result, None)``, or ``(None, message)`` for a method that cannot score this edition.
    Failures are cached too, so that a faulty or slow plugin costs its time once, not on
    every rerun."""
    folder, signature, plugins = source
    try:
        return cityindex.score(
            load_dataset(folder, signature), method, edition=edition, params=dict(params),
            registry=method_registry(plugins),
        ), None
    except SCORING_ERRORS as exc:
        return None, str(exc)


@st.cache_data(show_spinner=False, max_entries=64)
def comparison(source: tuple, specs: tuple, edition: int):
    """``(comparison or None, [(label, message), ...])``: the methods that can be scored,
    compared, and a note for each one that cannot."""
    results, labels, failures = [], [], []
    for name, params in specs:
        result, error = score(source, name, edition, params)
        label = name if not params else cityindex.engine._label(name, dict(params))
        if error:
            failures.append((label, error))
        else:
            results.append(result)
            labels.append(label)
    if len(results) < 2:
        return None, failures
    return cityindex.engine.compare_results(results, labels, failures=failures), failures


@st.cache_data(show_spinner=False)
def service_shares(source: tuple) -> pd.DataFrame:
    folder, signature, _ = source
    return views.service_shares(load_dataset(folder, signature))


# --- small rendering helpers -------------------------------------------------------------------


def show_chart(chart, table: pd.DataFrame, lang: str, column_config=None) -> None:
    """A chart, and its numbers as a table underneath."""
    st.altair_chart(chart, width="stretch")
    with st.expander(t("chart_data", lang)):
        st.dataframe(table, width="stretch", hide_index=True, column_config=column_config)


def param_widget(p: cityindex.Parameter, key: str) -> object:
    label, help_text = p.label or p.name, p.help or None
    if p.type == "bool":
        st.session_state.setdefault(key, bool(p.default))
        return st.checkbox(label, key=key, help=help_text, persist_state=KEEP)
    if p.type == "choice":
        st.session_state.setdefault(key, p.default)
        return st.selectbox(label, p.choices, key=key, help=help_text, persist_state=KEEP)
    cast = int if p.type == "int" else float
    st.session_state.setdefault(key, cast(p.default))
    if p.min is not None and p.max is not None:
        step = 1 if p.type == "int" else (float(p.max) - float(p.min)) / 100
        return st.slider(label, cast(p.min), cast(p.max), step=step, key=key, help=help_text,
                         persist_state=KEEP)
    return st.number_input(
        label, min_value=None if p.min is None else cast(p.min),
        max_value=None if p.max is None else cast(p.max), step=1 if p.type == "int" else 0.01,
        key=key, help=help_text, persist_state=KEEP,
    )


def keep_valid(key: str, options, multi: bool = False) -> None:
    """Drop a remembered widget value that the current options no longer contain."""
    ss = st.session_state
    if key not in ss:
        return
    if multi:
        ss[key] = [v for v in ss[key] if v in options]
    elif ss[key] not in options:
        del ss[key]


# --- the page ----------------------------------------------------------------------------------

st.set_page_config(page_title="Smart City Index", page_icon="🏙️", layout="wide")
ss = st.session_state

data_dir = cityindex.default_data_dir()
signature = data_signature(data_dir)
ds = load_dataset(str(data_dir), signature)
plugins = plugin_names()
registry = method_registry(plugins)
source = (str(data_dir), signature, plugins)
topology_path = data_dir / "geo" / "germany-states.topo.json"
topology = load_topology(str(topology_path if topology_path.exists() else REPO_TOPOLOGY))
groups = views.peer_groups(ds.cities)
method_names = list(registry)
default_method = DEFAULT_METHOD if DEFAULT_METHOD in registry else method_names[0]

if "_view_loaded" not in ss:  # the first run of a session: restore the view from the link
    query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    context = views.QueryContext(
        editions=ds.editions,
        methods={name: registry.method(name).parameters for name in method_names},
        cities=list(ds.cities.index), states=sorted(ds.cities["state"].unique()),
        peers=list(groups), default_method=default_method,
    )
    view, ss["_link_problems"] = views.decode_query(query, context)
    ss["lang"] = view.lang
    ss["edition"] = view.edition or ds.latest_edition
    ss["method"] = view.method or default_method
    for name, value in view.params.items():
        ss[f"p.{ss['method']}.{name}"] = value
    ss.update(states=list(view.states), sizes=list(view.sizes), peer=view.peer,
              cities=list(view.cities), color=view.color, tab_id=view.tab)
    for key in ("compare", "profile", "profile_peer", "service"):
        value = getattr(view, key)
        if value:
            ss[key] = list(value) if key == "compare" else value
    ss["_view_loaded"] = True

# --- sidebar -----------------------------------------------------------------------------------

with st.sidebar:
    lang = st.radio(t("language", ss["lang"]), list(LANGUAGES), format_func=LANGUAGES.get,
                    key="lang", horizontal=True, persist_state=KEEP)
    edition = st.selectbox(t("edition", lang), ds.editions[::-1], key="edition",
                           persist_state=KEEP)
    method_name = st.selectbox(
        t("method", lang), method_names, key="method", persist_state=KEEP,
        format_func=lambda n: f"{card_text(registry.method(n), 'title', lang)} ({n})",
    )
    method = registry.method(method_name)
    st.caption(views.first_sentence(card_text(method, "description", lang)))
    params = {}
    if method.parameters:
        with st.expander(t("method_params", lang), expanded=False):
            for p in method.parameters:
                params[p.name] = param_widget(p, f"p.{method_name}.{p.name}")
    st.subheader(t("filters", lang))
    edition_cities = ds.edition_cities(edition)
    city_table = ds.cities.loc[edition_cities]
    state_options = sorted(s for s in city_table["state"].unique() if s)
    keep_valid("states", state_options, multi=True)
    states = st.multiselect(t("states", lang), state_options, key="states",
                            placeholder=t("all", lang), persist_state=KEEP)
    size_options = [s[0] for s in views.SIZE_CLASSES]
    if (views.size_class(city_table["population"]) == "unknown").any():
        size_options.append("unknown")
    keep_valid("sizes", size_options, multi=True)
    sizes = st.multiselect(t("sizes", lang), size_options, key="sizes", persist_state=KEEP,
                           format_func=lambda s: t(f"size_{s}", lang),
                           placeholder=t("all", lang))

    def peer_label(peer: str) -> str:
        if not peer:
            return t("peer_none", lang)
        if peer.startswith("state:"):
            return t("peer_state", lang, state=peer.split(":", 1)[1])
        return t(f"peer_{peer}", lang)

    peer_options = ["", *groups]
    keep_valid("peer", peer_options)
    peer = st.selectbox(t("peer", lang), peer_options, key="peer", format_func=peer_label,
                        persist_state=KEEP)
    city_options = sorted(edition_cities, key=lambda c: ds.cities.at[c, "name"])
    keep_valid("cities", city_options, multi=True)
    selected = st.multiselect(t("cities", lang), city_options, key="cities",
                              format_func=lambda c: ds.cities.at[c, "name"], persist_state=KEEP,
                              placeholder=t("choose_cities", lang))
    st.caption(t("share_link", lang))

# --- scoring -----------------------------------------------------------------------------------

st.title(t("app_title", lang))
st.caption(t("app_caption", lang))
if ss.get("_link_problems"):
    st.warning(t("invalid_link", lang, what=", ".join(ss["_link_problems"])))
    ss["_link_problems"] = []
if registry.failures:  # one warning for every plugin that could not be loaded
    broken = sorted({f.distribution for f in registry.failures})
    st.warning(t("plugins_not_loaded", lang, n=len(broken), names=", ".join(broken)),
               icon="⚠️")

changed = views.non_default_params(params, method.parameters)
current, error = score(source, method_name, edition, views.params_key(changed))
if error:
    st.error(t("error_method", lang, error=error))
    st.stop()
prev_edition = views.previous_edition(ds.editions, edition)
previous = None
if prev_edition is not None:
    previous, _ = score(source, method_name, prev_edition, views.params_key(changed))

catalogue = ds.catalogue(edition)
names = name_column(lang)
area_names = {a: (catalogue.areas.at[a, names] or catalogue.areas.at[a, "name_de"])
              for a in current.area_ids}
ranking = views.ranking_table(current, previous)
ranking["provenance_label"] = ranking["provenance"].map(lambda m: provenance_label(m, lang))
mask = views.filter_mask(ranking, states=states, sizes=sizes,
                         peer=groups.get(peer) if peer else None)
shown = ranking[mask]
labels = {k: t(k, lang) for k in (
    "rank", "rank_change", "city", "state", "total", "score", "population", "provenance",
    "method", "edition", "shift", "correlation", "area", "series", "share", "share_computed",
    "share_published", "service", "value", "offered", "not_offered", "unknown",
    "this_city", "median_all", "median_peer", "computed_rank", "published_rank",
)}
number = st.column_config.NumberColumn
ranking_columns = {
    "provenance_label": st.column_config.TextColumn(t("provenance", lang)),
    "rank": number(t("rank", lang)),
    "rank_change": number(t("rank_change", lang), help=t("rank_change_help", lang),
                          format="%+d"),
    "name": st.column_config.TextColumn(t("city", lang)),
    "state": st.column_config.TextColumn(t("state", lang)),
    "total": number(t("total", lang), format="%.1f"),
    **{a: number(area_names[a], format="%.1f") for a in current.area_ids},
    "published_rank": number(t("published_rank", lang)),
    "published_total": number(t("published_total", lang), format="%.1f"),
    "published_rank_change": number(t("rank_change_published", lang), format="%+d"),
    "missing": number(t("missing", lang)),
}

tab_labels = [t(f"tab_{tab}", lang) for tab in views.TABS]
# The open tab is set through session state, not ``default=``: a changed default would make
# a new widget and undo the user's click. One key per language, as the labels differ.
tab_key = f"tabs.{lang}"
if tab_key not in ss:
    ss[tab_key] = tab_labels[views.TABS.index(ss.get("tab_id", "ranking"))]
tabs = st.tabs(tab_labels, key=tab_key, on_change="rerun")
for tab_id, tab in zip(views.TABS, tabs, strict=True):
    if tab.open:
        ss["tab_id"] = tab_id


def provenance_caption(markers) -> None:
    legend = provenance_legend(markers, lang, cityindex.PROVENANCE_LABELS)
    st.caption(f"**{t('provenance_legend', lang)}:** "
               + " · ".join(f"{label} = {text}" for label, text in legend))


# --- Ranking ------------------------------------------------------------------------------------

if tabs[0].open:
    with tabs[0]:
        found = st.text_input(t("find_city", lang), key="find", persist_state=KEEP)
        table = shown[views.find_cities(shown, found)]
        st.caption(f"{card_text(method, 'title', lang)} · {edition} · "
                   + t("n_cities", lang, n=len(table), total=len(ranking)))
        if table.empty:
            st.info(t("no_cities", lang))
        else:
            st.dataframe(table, width="stretch", hide_index=True, key="ranking_table",
                         column_order=list(ranking_columns), column_config=ranking_columns)
            provenance_caption(table["provenance"])
            off = views.published_mismatches(ranking)
            if len(off):
                st.warning(t("published_mismatch", lang, n=len(off),
                             names=", ".join(off["name"].astype(str))))
            st.download_button(
                t("download_csv", lang),
                table.drop(columns=["provenance_label"]).to_csv().encode("utf-8"),
                file_name=f"cityindex-{method_name}-{edition}.csv", mime="text/csv",
            )
            bars = charts.ranking_bars(
                table.reset_index(), labels=labels, highlight=selected,
                provenance_labels=dict(zip(table["provenance"], table["provenance_label"],
                                           strict=True)),
            )
            show_chart(bars, table[["rank", "name", "state", "total", "provenance_label"]],
                       lang, ranking_columns)

# --- Map ----------------------------------------------------------------------------------------

if tabs[1].open:
    with tabs[1]:
        ss.setdefault("color", "total")
        color_by = st.radio(t("color_by", lang), list(views.COLOR_BY), key="color",
                            horizontal=True, persist_state=KEEP,
                            format_func=lambda c: t("by_score" if c == "total" else "by_rank",
                                                    lang))
        st.caption(t("map_caption", lang))
        if shown.empty:
            st.info(t("no_cities", lang))
        city_map = charts.city_map(topology, shown, color_by=color_by, labels=labels,
                                   highlight=selected)
        show_chart(city_map, shown[["rank", "name", "state", "total", "population",
                                    "provenance_label", "lat", "lon"]], lang, ranking_columns)
        no_coords = shown[shown["lat"].isna() | shown["lon"].isna()]
        if len(no_coords):
            st.caption(t("no_coordinates", lang, n=len(no_coords),
                         names=", ".join(no_coords["name"])))

# --- Compare methods ----------------------------------------------------------------------------

if tabs[2].open:
    with tabs[2]:
        ss.setdefault("compare", method_names)
        keep_valid("compare", method_names, multi=True)
        chosen = st.multiselect(t("compare_methods", lang), method_names, key="compare",
                                persist_state=KEEP,
                                format_func=lambda n: card_text(registry.method(n), "title",
                                                                lang))
        if len(chosen) < 2:
            st.info(t("compare_need_two", lang))
        elif shown.empty:
            st.info(t("no_cities", lang))
        else:
            specs = tuple((n, views.params_key(changed) if n == method_name else ())
                          for n in chosen)
            with st.spinner(t("computing", lang, what=t("tab_compare", lang))):
                cmp, failed = comparison(source, specs, edition)
            for label, message in failed:
                st.warning(t("method_failed_note", lang, method=label, error=message))
            if cmp is None:
                st.info(t("compare_need_two", lang))
            else:
                method_labels = list(cmp.labels)
                long = views.ranks_long(cmp.ranks, cmp.names)
                long = long[long["city_id"].isin(shown.index)]
                st.subheader(t("bump_title", lang))
                marked = selected or list(shown.index[:5])
                show_chart(charts.rank_bump(long, labels=labels, highlight=marked,
                                            method_order=method_labels),
                           cmp.ranks.loc[cmp.ranks.index.isin(shown.index)]
                           .join(cmp.names).reset_index(), lang)
                left, right = st.columns(2)
                x = left.selectbox(t("scatter_x", lang), method_labels, index=0, key="cmp_x")
                y = right.selectbox(t("scatter_y", lang), method_labels, index=1, key="cmp_y")
                scores = cmp.scores.join(cmp.names).loc[lambda f: f.index.isin(shown.index)]
                st.subheader(t("scatter_title", lang, x=x, y=y))
                show_chart(charts.score_scatter(scores.reset_index(), x, y, labels=labels,
                                                highlight=selected),
                           scores.reset_index(), lang)
                moves = cmp.movers(x, y)
                moves = moves[moves.index.isin(shown.index)]
                st.subheader(t("movers", lang))
                show_chart(charts.movers_bars(moves, labels={**labels, "rank_base": x,
                                                             "rank_other": y}),
                           moves.rename(columns={"rank_base": x, "rank_other": y}).reset_index(),
                           lang)
                left, right = st.columns(2)
                for column, key in ((left, "spearman"), (right, "kendall")):
                    with column:
                        matrix = getattr(cmp, key)
                        show_chart(charts.correlation_heatmap(views.correlation_long(matrix),
                                                              title=t(key, lang), labels=labels),
                                   matrix.reset_index(names=""), lang)

# --- City profile -------------------------------------------------------------------------------

if tabs[3].open:
    with tabs[3]:
        keep_valid("profile", city_options)
        if "profile" not in ss:
            ss["profile"] = selected[0] if selected else ranking.index[0]
        left, right = st.columns(2)
        city_id = left.selectbox(t("profile_city", lang), city_options, key="profile",
                                 format_func=lambda c: ds.cities.at[c, "name"],
                                 persist_state=KEEP)
        keep_valid("profile_peer", peer_options)
        if "profile_peer" not in ss:
            own_state = f"state:{ds.cities.at[city_id, 'state']}"
            ss["profile_peer"] = peer or (own_state if own_state in groups else "")
        profile_peer = right.selectbox(t("profile_peer", lang), peer_options,
                                       key="profile_peer", format_func=peer_label,
                                       persist_state=KEEP)
        city_name = ds.cities.at[city_id, "name"]
        row = ranking.loc[city_id]
        rank_text = row["rank"] if pd.notna(row["rank"]) else "–"
        total_text = f"{row['total']:.1f}" if pd.notna(row["total"]) else "–"
        st.subheader(f"{city_name} · {t('rank', lang)} {rank_text} · "
                     f"{total_text} {t('score', lang)} · {row['provenance_label']}")
        profile = views.area_profile(current, city_id, groups.get(profile_peer), area_names)
        if not profile.empty:
            profile_labels = {**labels, "median_peer": f"{labels['median_peer']}: "
                              f"{peer_label(profile_peer)}"}
            show_chart(charts.area_profile(profile, labels=profile_labels),
                       profile.pivot(index="area", columns="series", values="score")
                       .rename(columns=profile_labels).reset_index(), lang)
        cat_names = catalogue.categories[names].where(catalogue.categories[names] != "",
                                                      catalogue.categories["name_de"])
        # Which of these numbers are Bitkom's own: the rest of the profile is computed.
        figures = views.published_figures(
            ds, edition, city_id, {"total": t("total", lang), **area_names,
                                   **cat_names.to_dict()})
        st.markdown(f"**{t('published_figures', lang)}**")
        if figures.empty:
            st.caption(t("no_published_figures", lang))
        else:
            st.caption(t("published_figures_note", lang))
            st.dataframe(
                figures.drop(columns="scope"), hide_index=True, width="stretch",
                column_config={"scope_name": t("scope", lang),
                               "rank": number(t("rank", lang), format="%d"),
                               "points": number(t("score", lang), format="%.2f"),
                               "rank_change": number(t("rank_change_published", lang),
                                                     format="%+d"),
                               "status": t("status", lang), "source": t("source", lang),
                               "note": t("note", lang)})
        best, worst = views.category_extremes(current, city_id, cat_names.to_dict())
        if best.empty:
            st.caption(t("no_categories", lang))
        else:
            cat_columns = {"category": t("category", lang),
                           "score": number(t("score", lang), format="%.1f"),
                           "median_all": number(t("median_all", lang), format="%.1f")}
            left, right = st.columns(2)
            left.markdown(f"**{t('strongest', lang)}**")
            left.dataframe(best, hide_index=True, column_config=cat_columns)
            right.markdown(f"**{t('weakest', lang)}**")
            right.dataframe(worst, hide_index=True, column_config=cat_columns)

        services = views.city_services(ds, edition, city_id)
        if services.empty:
            st.caption(t("no_services", lang))
        else:
            services["service"] = services[names].where(services[names] != "",
                                                        services["name_de"])
            services["provenance"] = services["provenance"].map(
                lambda p: provenance_label(p, lang) if isinstance(p, str) else "")
            cols = ["service", "value", "provenance"]
            svc_columns = {"service": t("service", lang), "value": t("value", lang),
                           "provenance": t("provenance", lang)}
            left, right = st.columns(2)
            left.markdown(f"**{t('services_offered', lang)}**")
            left.dataframe(services.loc[services["offered"].fillna(False), cols],
                           hide_index=True, column_config=svc_columns)
            right.markdown(f"**{t('services_lacking', lang)}**")
            right.dataframe(services.loc[~services["offered"].fillna(True), cols],
                            hide_index=True, column_config=svc_columns)

        steps = len(method_names) + len(ds.editions)
        progress = st.progress(0.0, text=t("computing", lang, what=t("history", lang)))
        by_method, failed = [], []
        for i, name in enumerate(method_names, 1):
            progress.progress(i / steps)
            res, error = score(source, name, edition, views.params_key(
                changed if name == method_name else {}))
            if error:
                failed.append((card_text(registry.method(name), "title", lang), error))
                continue
            if city_id in res.table.index and pd.notna(res.table.at[city_id, "rank"]):
                by_method.append({"method": name,
                                  "title": card_text(registry.method(name), "title", lang),
                                  "rank": int(res.table.at[city_id, "rank"]),
                                  "total": float(res.table.at[city_id, "total"]),
                                  "provenance": provenance_label(
                                      res.table.at[city_id, "provenance"], lang)})
        history_results = {}
        for i, ed in enumerate(ds.editions, len(method_names) + 1):
            progress.progress(i / steps)
            res, _ = score(source, method_name, ed, views.params_key(changed))
            if res is not None:
                history_results[ed] = res
        progress.empty()
        for title, message in failed:
            st.warning(t("method_failed_note", lang, method=title, error=message))
        st.subheader(t("ranks_all_methods", lang))
        by_method = pd.DataFrame(by_method, columns=["method", "title", "rank", "total",
                                                     "provenance"])
        show_chart(charts.rank_by_method(by_method, labels=labels), by_method, lang)
        st.subheader(t("history", lang))
        past = views.history(history_results, city_id, ds.published)
        show_chart(charts.history_chart(past, labels=labels),
                   past.assign(series=past["series"].map(labels)), lang)

# --- Online services ----------------------------------------------------------------------------

if tabs[4].open:
    with tabs[4]:
        shares = service_shares(source).copy()
        if shares.empty:
            st.info(t("no_services", lang))
        else:
            shares["service"] = shares[names].where(shares[names] != "", shares["name_de"])
            this = shares[shares["edition"] == edition]
            st.subheader(f"{t('service_shares', lang)} · {edition}")
            st.caption(t("share_note", lang))
            if len(this):
                show_chart(charts.service_share_bars(this, labels=labels),
                           this[["service", "share_computed", "share_published", "n_values",
                                 "provenance"]].rename(columns=labels), lang)
            service_ids = list(dict.fromkeys(this["indicator_id"]))
            keep_valid("service", service_ids)
            if service_ids:
                service_names = dict(zip(this["indicator_id"], this["service"], strict=True))
                service_id = st.selectbox(t("choose_service", lang), service_ids, key="service",
                                          format_func=service_names.get, persist_state=KEEP)
                over_time = shares[shares["indicator_id"] == service_id].melt(
                    id_vars=["edition"], value_vars=["share_computed", "share_published"],
                    var_name="series", value_name="share",
                )
                show_chart(charts.service_share_history(over_time, labels=labels),
                           over_time.assign(series=over_time["series"].map(labels)), lang)
                st.subheader(t("offer_map", lang))
                offers = views.service_offers(ds, edition, service_id)
                offers = offers[offers.index.isin(shown.index)]
                offers["offer"] = offers["offered"].map(
                    lambda o: labels["unknown"] if pd.isna(o)
                    else labels["offered"] if o else labels["not_offered"])
                show_chart(charts.offer_map(topology, offers, labels=labels,
                                            highlight=selected),
                           offers[["name", "state", "offer", "value", "provenance"]]
                           .rename(columns=labels), lang)

# --- Methods and data ---------------------------------------------------------------------------

if tabs[5].open:
    with tabs[5]:
        st.subheader(t("methods_installed", lang))
        if registry.failures:
            st.markdown(f"**{t('could_not_load', lang)}**")
            st.dataframe(
                pd.DataFrame([f.as_dict() for f in registry.failures]).drop(columns="stage"),
                hide_index=True, width="stretch",
                column_config={"distribution": t("package", lang), "plugin": t("plugin", lang),
                               "method": t("method", lang), "message": t("reason", lang)})
        for entry in registry.values():
            m = entry.method
            with st.expander(f"{card_text(m, 'title', lang)} (`{m.name}`)",
                             expanded=entry.name == method_name):
                st.markdown(
                    f"**{t('description', lang)}:** {card_text(m, 'description', lang)}\n\n"
                    f"**{t('citation', lang)}:** {getattr(m, 'citation', '') or '—'}\n\n"
                    f"**{t('missing_policy', lang)}:** {getattr(m, 'missing_policy', '') or '—'}"
                    f"\n\n**{t('requires', lang)}:** "
                    f"{', '.join(sorted(getattr(m, 'requires', ()))) or '—'}\n\n"
                    f"**{t('package', lang)}:** {entry.distribution} {entry.version} · "
                    f"**{t('plugin', lang)}:** `{entry.plugin}`"
                )
                parameters = views.parameter_table(getattr(m, "parameters", ()))
                if len(parameters):
                    st.dataframe(parameters, hide_index=True, width="stretch",
                                 column_config={c: t(f"param_{c}", lang)
                                                for c in parameters.columns})
        st.subheader(t("data_provenance", lang))
        st.markdown(f"**{t('data_path', lang)}:** `{ds.path}`")
        provenance_caption(list(cityindex.PROVENANCE_LABELS))
        if len(ds.editions_table):
            st.dataframe(ds.editions_table, hide_index=True, width="stretch")
        st.markdown(f"**{t('values_by_provenance', lang)}**")
        st.dataframe(views.values_by_provenance(ds), width="stretch")
        st.markdown(f"**{t('published_by_edition', lang)}**")
        st.dataframe(views.published_by_edition(ds), width="stretch")

# --- the view into the URL ----------------------------------------------------------------------

view = views.ViewState(
    lang=lang,
    edition=edition if edition != ds.latest_edition else None,
    method=method_name if method_name != default_method else None,
    params=changed,
    states=tuple(states), sizes=tuple(sizes), peer=peer, cities=tuple(selected),
    compare=tuple(ss.get("compare", ())) if ss.get("compare") != method_names else (),
    tab=ss.get("tab_id", "ranking"), color=ss.get("color", "total"),
    profile=ss.get("profile", ""), profile_peer=ss.get("profile_peer", ""),
    service=ss.get("service", ""),
)
wanted = views.encode_query(view)
as_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
if as_lists != {k: st.query_params.get_all(k) for k in st.query_params.keys()}:
    st.query_params.from_dict(wanted)
