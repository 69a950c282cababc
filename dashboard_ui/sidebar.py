"""The sidebar: whose data, language, edition, method and its parameters, filters, cities —
and the scoring they ask for, gathered into one :class:`~dashboard_ui.common.Page`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

import cityindex
from cityindex import i18n, views
from cityindex.i18n import LANGUAGES, card_text, t

from . import robustness
from .common import (
    KEEP,
    LINK_NAMES,
    Page,
    Static,
    city_groups,
    data_signature,
    keep_valid,
    load_bundled,
    load_topology,
    localized,
    method_registry,
    open_box,
    param_value,
    param_widget,
    peer_label,
    plain,
    plugin_key,
    remembered_expander,
    source_key,
)

REPO_DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_METHOD = "bitkom"


def restore_from_link(ds: cityindex.Dataset, registry, default_method: str,
                      groups: dict) -> None:
    """On the first run of a session, put the view of the link into the session state
    (``groups``: the dataset's comparison groups, :func:`views.peer_groups`)."""
    ss = st.session_state
    if "_view_loaded" in ss:
        return
    query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    context = views.QueryContext(
        editions=ds.editions,
        methods={name: registry.method(name).parameters for name in registry},
        cities=list(ds.cities.index), states=sorted(ds.cities["state"].unique()),
        peers=list(groups), default_method=default_method,
        areas=list(dict.fromkeys(ds.areas["area_id"].astype(str))),
    )
    view, ss["_link_problems"] = views.decode_query(query, context)
    ss["lang"] = view.lang
    ss["edition"] = view.edition or ds.latest_edition
    ss["method"] = view.method or default_method
    for name, value in view.params.items():
        ss[f"p.{ss['method']}.{name}"] = value
    if view.params:  # a link's parameters and weights are shown, not hidden
        open_box("params_box")
    ss.update(states=list(view.states), sizes=list(view.sizes), peer=view.peer,
              cities=list(view.cities), color=view.color,
              ranking_view=view.ranking_view, tab_id=view.tab, find=view.find)
    if view.compare:
        ss["compare"] = list(view.compare)
    if view.weights and "hierarchy" not in getattr(registry.method(ss["method"]), "requires",
                                                   ()):  # a method without area weights
        ss["_link_problems"] += [f"{key}={query[key][-1]}" for key in
                                 (views.WEIGHT_PREFIX + area for area in view.weights)]
    elif view.weights:
        open_box("own_weights_box")
        ss["weights_on"] = True
        for key, value in view.weights.items():
            ss[f"w.{key}"] = int(value)  # decode_query let whole numbers 0–10 through
    robustness.restore_settings(view.robustness)
    # A service and the scatter axes can only be checked when their tab is drawn (they depend
    # on the edition and the compared methods): keep_valid reports them if they are not valid.
    ss["_linked"] = {}
    for key in ("profile", "profile_peer", "service", "cmp_x", "cmp_y"):
        value = getattr(view, key)
        if value:
            ss[key] = value
            if key in LINK_NAMES:
                ss["_linked"][key] = value
            if key in ("profile", "profile_peer"):
                ss[f"{key}_chosen"] = True  # picked by the user: it does not follow the city
            if key == "profile":
                ss["profile_wanted"] = value
    ss["_view_loaded"] = True


WEIGHT_MAX = views.OWN_WEIGHT_MAX


def _nominal(catalogue) -> dict[str, float]:
    """The catalogue's area weights on the 0–10 scale, the largest in the middle (5), so that
    the sliders leave room to weigh an area up as well as down."""
    areas = catalogue.areas["weight"].astype(float)
    top = areas.max() if len(areas) and areas.max() > 0 else 1.0
    return {str(a): int(round(float(w) / top * WEIGHT_MAX / 2)) for a, w in areas.items()}


def _preset_weights(preset: str, nominal: dict[str, float]) -> dict[str, float] | None:
    """The slider values of a preset: the method's weights, all equal, or one area first (it
    counts double); ``None`` for none chosen."""
    if preset == "method":
        return dict(nominal)
    if preset == "equal":
        return {area: WEIGHT_MAX // 2 for area in nominal}
    if preset in nominal:
        return {area: WEIGHT_MAX if area == preset else WEIGHT_MAX // 2 for area in nominal}
    return None


def _apply_preset(nominal: dict[str, float]) -> None:
    """Set the sliders to the chosen preset, then empty the box again: a preset is an action,
    so choosing "as the method" after moving a slider works (a box that kept its choice did
    not call back for the same choice, and one the app set to follow the sliders raced with
    quick slider moves)."""
    ss = st.session_state
    for area, value in (_preset_weights(ss.get("weight_preset"), nominal) or {}).items():
        ss[f"w.{area}"] = value
    for key in [k for k in ss if str(k).startswith("weight_preset")]:
        ss[key] = None


def own_weights(catalogue, method, lang: str) -> dict[str, float]:
    """Sliders for own area weights (0–10) with presets, for a method built on the hierarchy.
    Returns the weights to score with: empty for the method's own (also when the sliders
    are proportional to them), so that nothing is marked as a user weighting needlessly."""
    if "hierarchy" not in getattr(method, "requires", ()):
        return {}
    ss = st.session_state
    nominal = _nominal(catalogue)
    names = catalogue.areas
    column = i18n.name_column(lang)
    label = {a: str(names.at[a, column] or names.at[a, "name_de"]) if column in names
             else str(names.at[a, "name_de"]) for a in nominal}
    # Open at first when a link brings own weights (restore_from_link), then as the user
    # leaves it: turning the weights off does not fold it (and its switch) away, nor does a
    # language switch. Built only while open (a closed box costs the first page nothing, not
    # even the switch's scripts); the session keeps its widgets' values while it is closed.
    box = remembered_expander(t("own_weights", lang), "own_weights_box")
    if not box.open:
        if not ss.get("weights_on"):
            return {}
        chosen = {area: float(ss.get(f"w.{area}", value)) for area, value in nominal.items()}
        return _own_or_none(chosen, nominal, lang)
    with box:
        on = st.toggle(t("use_own_weights", lang), key="weights_on", persist_state=KEEP,
                       help=t("own_weights_help", lang))
        if not on:
            return {}
        for area, value in nominal.items():
            ss.setdefault(f"w.{area}", value)
        presets = ["method", "equal", *nominal]
        ss.setdefault("weight_preset", None)  # empty: a preset is an action (_apply_preset)
        st.selectbox(t("weight_preset", lang), presets, persist_state=KEEP,
                     placeholder=t("preset_choose", lang),
                     format_func=lambda p: t(f"preset_{p}", lang) if p in ("method", "equal")
                     else t("preset_focus", lang, area=label[p]),
                     **localized("weight_preset", lang, _apply_preset, (nominal,)))
        # Whole numbers 0–10, as the OECD does (a slider writes its number with a point).
        chosen = {area: float(st.slider(label[area], 0, WEIGHT_MAX, step=1, key=f"w.{area}",
                                        persist_state=KEEP))
                  for area in nominal}
    return _own_or_none(chosen, nominal, lang)


def _own_or_none(chosen: dict[str, float], nominal: dict[str, float],
                 lang: str) -> dict[str, float]:
    """The chosen area weights, or none (the method's own) where they are all zero (with a
    warning) or proportional to the method's."""
    total = sum(chosen.values())
    if total <= 0:
        st.sidebar.warning(t("weights_all_zero", lang))
        return {}
    base = sum(nominal.values())
    if all(abs(chosen[a] / total - nominal[a] / base) < 1e-9 for a in nominal):
        return {}
    return chosen


def method_params(name: str, method, lang: str) -> dict[str, object]:
    """The chosen method's parameters: their widgets in a box that is built only while open
    (a closed one costs a page nothing, not even the slider's scripts), their values from the
    session otherwise. The box opens by itself when a link brings parameters."""
    if not method.parameters:
        return {}
    keys = {p.name: f"p.{name}.{p.name}" for p in method.parameters}
    box = remembered_expander(t("method_params", lang), "params_box")
    if not box.open:
        return {p.name: param_value(p, keys[p.name]) for p in method.parameters}
    with box:
        return {p.name: param_widget(p, keys[p.name], lang) for p in method.parameters}


def _upload(lang: str) -> tuple[cityindex.Dataset | None, str | None, str | None]:
    """The user's own dataset, if they uploaded one that is valid: ``(dataset, name,
    digest)``. Kept in this session's state only: no other session can see it.

    The box is built only while open or while it holds a file: a file uploader that is not
    built forgets its file, and a closed, empty box costs the page nothing."""
    ss = st.session_state
    box = remembered_expander(t("own_data", lang), "own_data_box")
    file = None
    if box.open or ss.get("upload_file") is not None:
        with box:
            st.caption(t("own_data_help", lang))
            # A single CSV or an old workbook is taken too, to be told in words what to
            # upload (Streamlit's own refusal is an English tooltip on a red icon).
            file = st.file_uploader(t("upload_label", lang),
                                    type=["zip", "xlsx", "csv", "xls", "ods"],
                                    key="upload_file", help=t("upload_help", lang))
    if file is None:
        ss.pop("upload", None)
        ss.pop("upload_problems", None)
        return None, None, None
    content = file.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    if ss.get("upload_digest") != digest:
        ss["upload_digest"] = digest
        try:
            dataset = cityindex.read_upload(file.name, content)
        except cityindex.DatasetError as exc:
            ss["upload"] = None
            # the problems themselves, not a table: it is worded in the language of each run
            ss["upload_problems"] = tuple(exc.problems)
            ss["upload_problem_warnings"] = tuple(exc.warnings)
        else:
            ss["upload"] = {"name": file.name, "dataset": dataset}
            ss["upload_problems"] = None
    upload = ss.get("upload")
    if not upload:
        return None, None, None
    return upload["dataset"], upload["name"], digest


DATA_CHOICES = ("edition", "states", "sizes", "peer", "cities", "find", "service", "profile",
                "profile_chosen", "profile_wanted", "profile_peer", "profile_peer_chosen")
"""The choices that depend on the dataset (its editions, states, cities)."""


def switch_data_view(source: tuple) -> None:
    """Keep the dataset-dependent choices per data source: an upload starts from its own
    (the choices that do not fit its data fall back to defaults), and removing it brings
    back the view of the bundled data as it was, not the upload's edition or cities.
    ``source`` names the data: ``("bundled", folder)`` or ``("upload", file name)``."""
    ss = st.session_state
    before = ss.get("_data_source")
    ss["_data_source"] = source
    if before is None or before == source:
        return
    views_by_source = ss.setdefault("_data_views", {})
    views_by_source[before] = {k: ss[k] for k in DATA_CHOICES if k in ss}
    for key in DATA_CHOICES:
        ss.pop(key, None)
    ss.update(views_by_source.get(source, {}))


def own_folder() -> str | None:
    """The name of the folder ``$CITYINDEX_DATA`` names when it is not the bundled data (a
    city's own data, served by its own dashboard), else None: the page says whose data it
    shows, as it does for an upload."""
    folder = cityindex.default_data_dir()
    return None if folder.resolve() == REPO_DATA.resolve() else folder.resolve().name


def build_page() -> Page:
    """Render the sidebar and score what it asks for."""
    ss = st.session_state
    bundled_dir = cityindex.default_data_dir()
    with st.sidebar:
        # The upload comes before the link is read (the link is checked against the data),
        # so on a session's first run its language is taken from the link directly.
        linked = st.query_params.get("lang", "")
        lang_now = ss.get("lang") or (linked if linked in LANGUAGES else i18n.DEFAULT_LANGUAGE)
        own, upload_name, digest = _upload(lang_now)
    if own is not None:
        ds, data_key = own, ("upload", upload_name, digest)
    else:
        signature = data_signature(Path(bundled_dir))
        ds = load_bundled(str(bundled_dir), signature)
        data_key = ("bundled", str(bundled_dir), signature)
    switch_data_view(data_key[:2])
    plugins = plugin_key()
    registry = method_registry(plugins)
    method_names = list(registry)
    default_method = DEFAULT_METHOD if DEFAULT_METHOD in registry else method_names[0]
    groups = city_groups(data_key, ds.cities)
    restore_from_link(ds, registry, default_method, groups)
    topology_path = Path(bundled_dir) / "geo" / "germany-states.topo.json"
    if not topology_path.exists():
        topology_path = REPO_DATA / "geo" / "germany-states.topo.json"

    with st.sidebar:
        lang = st.radio(t("language", ss["lang"]), list(LANGUAGES), format_func=LANGUAGES.get,
                        key="lang", horizontal=True, persist_state=KEEP)
        keep_valid("edition", ds.editions)
        ss.setdefault("edition", ds.latest_edition)
        edition = st.selectbox(t("edition", lang), ds.editions[::-1], key="edition",
                               persist_state=KEEP)
        keep_valid("method", method_names)
        ss.setdefault("method", default_method)
        method_name = st.selectbox(
            t("method", lang), method_names, persist_state=KEEP, **localized("method", lang),
            format_func=lambda n: f"{card_text(registry.method(n), 'title', lang)} ({n})",
        )
        method = registry.method(method_name)
        st.caption(views.first_sentence(card_text(method, "description", lang)))
        params = method_params(method_name, method, lang)
        catalogue = ds.catalogue(edition)
        weights = own_weights(catalogue, method, lang)
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
        sizes = st.multiselect(t("sizes", lang), size_options, persist_state=KEEP,
                               format_func=lambda s: t(f"size_{s}", lang),
                               placeholder=t("all", lang), **localized("sizes", lang))
        peer_options = ["", *groups]
        keep_valid("peer", peer_options)
        peer = st.selectbox(t("peer", lang), peer_options, persist_state=KEEP,
                            format_func=lambda g: peer_label(g, lang), **localized("peer", lang))
        city_names = city_table["name"].astype(str).to_dict()
        city_options = sorted(edition_cities, key=city_names.__getitem__)
        keep_valid("cities", city_options, multi=True)
        selected = st.multiselect(t("cities", lang), city_options, key="cities",
                                  format_func=city_names.__getitem__,
                                  persist_state=KEEP, placeholder=t("choose_cities", lang))
        st.caption(t("share_link", lang))

    changed = views.non_default_params(params, method.parameters)
    page = Page(
        lang=lang, ds=ds, source=source_key(data_key, plugins), registry=registry,
        upload=upload_name,
        topology=Static(str(topology_path), load_topology(str(topology_path))),
        method_names=method_names,
        default_method=default_method,
        edition=edition, method_name=method_name, method=method, changed=changed,
        weights=weights,
        groups=groups, peer=peer, selected=list(selected), city_options=city_options,
        current=None, previous=None, ranking=pd.DataFrame(), shown=pd.DataFrame(),
        area_names={}, labels={},
    )
    page.catalogue = catalogue  # fills the cached property: built once per run
    return _scored(page, states, sizes)


LABEL_KEYS = (
    "rank", "rank_change", "city", "state", "total", "score", "population", "provenance",
    "method", "edition", "shift", "correlation", "area", "series", "share", "share_computed",
    "share_published", "service", "value", "offered", "not_offered", "unknown",
    "this_city", "median_all", "median_peer", "computed_rank", "published_rank",
)


def _scored(page: Page, states, sizes) -> Page:
    """Score the chosen method on the edition and the one before. A method that cannot score
    this edition (a plugin that raises, a requirement the data lacks) is named in an error,
    and the page goes on with the default method, said so in the same message: every tab,
    the methods tab with the plugin's card among them, keeps working. Only when the default
    method fails too does the page stop at the error."""
    current, error = page.score(page.method_name)
    if error and page.method_name != page.default_method:
        failed = page.method
        fallback, fallback_error = page.score(page.default_method)
        if not fallback_error:
            st.error(t("error_method_fallback", page.lang,
                       method=plain(card_text(failed, "title", page.lang)),
                       name=plain(page.method_name), edition=page.edition,
                       error=plain(i18n.message_text(error, page.lang)),
                       shown=plain(card_text(page.registry.method(page.default_method),
                                             "title", page.lang))))
            page.method_name = page.default_method
            page.method = page.registry.method(page.default_method)
            page.changed, page.weights = {}, {}
            current, error = fallback, None
    if error:
        st.error(t("error_method", page.lang, error=i18n.message_text(error, page.lang)))
        st.stop()
    page.current = current
    prev_edition = views.previous_edition(page.ds.editions, page.edition)
    if prev_edition is not None:
        page.previous, _ = page.score(page.method_name, prev_edition)
    in_lang = i18n.names_in(page.catalogue.areas, page.lang)
    page.area_names = {a: str(in_lang.get(a, a)) for a in current.area_ids}
    page.ranking = ranking = page.ranking_of_method()
    mask = views.filter_mask(ranking, states=states, sizes=sizes,
                             peer=page.groups.get(page.peer) if page.peer else None)
    page.shown = ranking[mask]
    page.labels = {k: t(k, page.lang) for k in LABEL_KEYS}
    return page
