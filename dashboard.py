"""The Smart City Index dashboard: ``streamlit run dashboard.py`` (or ``make run``).

A table of contents: the sidebar decides (whose data, edition, method, filters) and scores,
then one module per tab renders (``dashboard_ui/``). The core package (``cityindex``) does the
work; methods come from the plugin registry only, so a third-party method appears here without
a change to this file. The whole view lives in the URL query, so a link restores it.
"""

from __future__ import annotations

import streamlit as st

from cityindex import i18n, views
from cityindex.i18n import t
from dashboard_ui import compare, mapview, methods, profile, ranking, robustness, services
from dashboard_ui.common import plain, text_table
from dashboard_ui.sidebar import build_page, own_folder

TABS = {"ranking": ranking, "map": mapview, "compare": compare, "profile": profile,
        "robustness": robustness, "services": services, "methods": methods}
assert tuple(TABS) == views.TABS
SHOWN_PROBLEMS = 50  # of a refused upload's problems; `cityindex validate` lists every one

st.set_page_config(page_title="Smart City Index", page_icon="🏙️", layout="wide")
ss = st.session_state
page = build_page()
lang = page.lang

# --- what the reader must know first ------------------------------------------------------------

st.title(t("app_title", lang))
st.caption(t("app_caption", lang))
if ss.get("upload_problems") is not None:
    st.error(t("upload_invalid", lang, n=len(ss["upload_problems"])))
    problems = i18n.problem_table(ss["upload_problems"], lang)  # text that wraps: the hints
    text_table(problems.head(SHOWN_PROBLEMS), page,  # say how to fix, and must be read whole
               {c: i18n.column_label(c, lang) for c in problems.columns},
               alt=t("upload_invalid", lang, n=len(problems)))
    if len(problems) > SHOWN_PROBLEMS:
        st.caption(t("more_problems", lang, n=len(problems) - SHOWN_PROBLEMS))
    if ss.get("upload_problem_warnings"):  # what else was found in the refused file
        st.warning(t("upload_warnings", lang, items=plain("; ".join(
            i18n.problem_text(w, lang, hint=True) for w in ss["upload_problem_warnings"]))))
editions = t("editions_list", lang, n=len(page.ds.editions),
              list=", ".join(map(str, page.ds.editions)))
if page.upload:
    st.info(t("upload_banner", lang, name=plain(page.upload), n=len(page.ds.cities),
              editions=editions), icon="📂")
elif folder := own_folder():  # CITYINDEX_DATA names another folder than the bundled data
    st.info(t("folder_banner", lang, name=plain(folder), n=len(page.ds.cities),
              editions=editions), icon="📂")
if page.ds.warnings:  # what the reading and checking of the shown data found
    st.warning(t("upload_warnings" if page.upload else "data_warnings", lang,
                 items=plain("; ".join(i18n.problem_text(w, lang, hint=True)
                                       for w in page.ds.warnings))))
for note in page.current.notes:  # e.g. a parameter that changes nothing in this edition
    st.info(plain(i18n.message_text(note, lang)), icon="ℹ️")
if ss.get("_link_problems"):
    st.warning(t("invalid_link", lang, what=plain(", ".join(ss["_link_problems"]))))
    ss["_link_problems"] = []
if page.registry.failures:  # one warning for every plugin that could not be loaded
    broken = sorted({f.distribution for f in page.registry.failures})
    st.warning(t("plugins_not_loaded", lang, n=len(broken), names=plain(", ".join(broken))),
               icon="⚠️")

# --- the tabs -----------------------------------------------------------------------------------

labels = [t(f"tab_{tab}", lang) for tab in TABS]
# The open tab is set through session state, not ``default=``: a changed default would make a
# new widget and undo the user's click. One key per language, as the labels differ.
tab_key = f"tabs.{lang}"
if tab_key not in ss:
    ss[tab_key] = labels[views.TABS.index(ss.get("tab_id", "ranking"))]
for (tab_id, module), tab in zip(TABS.items(), st.tabs(labels, key=tab_key, on_change="rerun"),
                                 strict=True):
    if tab.open:
        ss["tab_id"] = tab_id
        with tab:
            module.render(page)

# --- the view into the URL ----------------------------------------------------------------------

view = views.ViewState(
    lang=lang,
    edition=page.edition if page.edition != page.ds.latest_edition else None,
    method=page.method_name if page.method_name != page.default_method else None,
    params=page.changed, weights=page.weights,
    states=tuple(ss.get("states", ())), sizes=tuple(ss.get("sizes", ())), peer=page.peer,
    cities=tuple(page.selected),
    compare=tuple(ss.get("compare", ())) if ss.get("compare", page.method_names) != list(
        page.method_names) else (),
    tab=ss.get("tab_id", "ranking"), color=ss.get("color", "total"),
    ranking_view=ss.get("ranking_view", "chart"),
    profile=profile.chosen_city(page) or "",
    profile_peer=ss.get("profile_peer", "") if ss.get("profile_peer_chosen") else "",
    service=ss.get("service", "") if ss.get("service") != ss.get("_service_default") else "",
    find=ss.get("find", ""),
    cmp_x=ss.get("cmp_x", "") if ss.get("cmp_x") != ss.get("_cmp_default_x") else "",
    cmp_y=ss.get("cmp_y", "") if ss.get("cmp_y") != ss.get("_cmp_default_y") else "",
    robustness=robustness.link_settings(),
)
wanted = views.encode_query(view)
as_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
if as_lists != {k: st.query_params.get_all(k) for k in st.query_params.keys()}:
    st.query_params.from_dict(wanted)
