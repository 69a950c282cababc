"""The methods-and-data tab: every installed method's card, the plugins that could not be
loaded, and where the data come from."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import cityindex
from cityindex import views
from cityindex.i18n import MISSING_TEXT, card_text, message_text, t
from cityindex.method import REQUIREMENTS

from .common import Page, cited, plain, provenance_caption, remembered_expander, styled_table


def parameter_grid(parameters: pd.DataFrame, lang: str) -> None:
    """A method card's parameters (:func:`cityindex.views.parameter_table`, already text in
    the reader's language) as a grid. Not :func:`styled_table`: that translates status words,
    and the name is an identifier (``missing`` must not read "fehlt"). The explanation gets
    a wide column, so it can be read."""
    wide = {"label": "medium", "range": "medium", "help": "large"}
    config = {c: st.column_config.TextColumn(t(f"param_{c}", lang), width=wide.get(c))
              for c in parameters.columns}
    shown = parameters.fillna("").astype(str).replace("", MISSING_TEXT)
    st.dataframe(shown, column_config=config, hide_index=True, width="stretch")


def requirements_text(method, lang: str) -> str:
    """What a method needs of a dataset, in the reader's words ("Werte auf Ebene der
    Indikatoren"), not its ids (``indicator_values``); an id the core does not know is shown
    as it is."""
    return "; ".join(plain(message_text(REQUIREMENTS[r], lang)) if r in REQUIREMENTS
                     else plain(r) for r in sorted(getattr(method, "requires", ()))) or "—"


def render(page: Page) -> None:
    lang, registry = page.lang, page.registry
    st.subheader(t("methods_installed", lang))
    if registry.failures:
        st.markdown(f"**{t('could_not_load', lang)}**")
        failures = [{**f.as_dict(), "message": message_text(f.message, lang)}
                    for f in registry.failures]  # the reason in the reader's language
        styled_table(
            pd.DataFrame(failures).drop(columns="stage"),
            page, column_config={"distribution": t("package", lang),
                                 "plugin": t("plugin", lang), "method": t("method", lang),
                                 "message": t("reason", lang)})
    for entry in registry.values():
        m = entry.method
        # A card is built only while it is open (the chosen method's is, at first).
        card = remembered_expander(f"{plain(card_text(m, 'title', lang))} (`{m.name}`)",
                             f"card.{m.name}", default=entry.name == page.method_name)
        if not card.open:
            continue
        with card:
            st.markdown(
                f"**{t('description', lang)}:** {plain(card_text(m, 'description', lang))}\n\n"
                f"**{t('citation', lang)}:** {cited(card_text(m, 'citation', lang) or '—')}\n\n"
                f"**{t('missing_policy', lang)}:** "
                f"{plain(card_text(m, 'missing_policy', lang) or '—')}\n\n"
                f"**{t('requires', lang)}:** "
                f"{requirements_text(m, lang)}\n\n"
                f"**{t('package', lang)}:** {plain(entry.distribution)} "
                f"{plain(entry.version)} · **{t('plugin', lang)}:** `{entry.plugin}`"
            )
            parameters = views.parameter_table(getattr(m, "parameters", ()), lang)
            if len(parameters):
                parameter_grid(parameters, lang)
    st.subheader(t("data_provenance", lang))
    where = plain(page.upload) if page.upload else t("bundled_data", lang)
    st.markdown(f"**{t('data_path', lang)}:** {where}")
    provenance_caption(list(cityindex.PROVENANCE_LABELS), page)
    if len(page.ds.editions_table):
        styled_table(views.editions_in(page.ds, lang), page)
    st.markdown(f"**{t('values_by_provenance', lang)}**")
    styled_table(views.values_by_provenance(page.ds).reset_index(), page)
    st.markdown(f"**{t('published_by_edition', lang)}**")
    styled_table(views.published_by_edition(page.ds).reset_index(), page)
