"""The robustness tab ("Robustheit"): how much each rank owes to the method's choices.

Three analyses of the core's robustness engine (:mod:`cityindex.robustness`), on the chosen
method, edition, parameters and own weights: rank intervals and probabilities over sampled
weights (and optionally normalisations and aggregations), Sobol indices of the inputs, and
the best and worst rank each city can reach under any area weighting within bounds.
"""

from __future__ import annotations

import dataclasses
import functools

import streamlit as st

import cityindex
from cityindex import charts, export, formats, robustness, views
from cityindex.i18n import message_text, names_in, t

from .common import (
    KEEP,
    Page,
    attempt,
    chart_spec,
    download_buttons,
    localized,
    number_field,
    number_slider,
    plain,
    provenance_caption,
    show_chart,
    styled_table,
)


def widget_value(name: str, value):
    """A setting as its widget holds it (a multiselect holds a list)."""
    return list(value) if name in views.ROBUSTNESS_LISTS else value


SETTINGS = {f"rb_{name}": widget_value(name, value)  # widget key -> default
            for name, value in views.ROBUSTNESS_DEFAULTS.items()}


def restore_settings(settings) -> None:
    """Put the settings of a link (``views.ViewState.robustness``) into the widgets."""
    for name, value in settings.items():
        st.session_state[f"rb_{name}"] = widget_value(name, value)


def link_settings() -> dict:
    """The settings as they are now, for the link (defaults are left out there)."""
    ss = st.session_state
    return {name: ss[f"rb_{name}"] for name in views.ROBUSTNESS_DEFAULTS if f"rb_{name}" in ss}


def choice_text(kind: str, value, lang: str) -> str:
    """A normalisation (``kind="norm"``) or aggregation (``"agg"``) id in the reader's
    language (``zscore`` → ``z-Standardisierung``); an id without a label is shown as it is."""
    key = f"rb_{kind}_{value}"
    text = t(key, lang)
    return str(value) if text == key else text


ANALYSIS_ERRORS = (robustness.RobustnessError, cityindex.WeightError, cityindex.ParameterError,
                   ValueError)


@st.cache_data(show_spinner=False, max_entries=32)
def run_uncertainty(source, method, edition, params, weights, settings, _dataset, _registry):
    s = dict(settings)
    return attempt(
        cityindex.uncertainty, ANALYSIS_ERRORS,
        _dataset, method, edition=edition, params=dict(params), own_weights=dict(weights),
        draws=s["rb_draws"], seed=s["rb_seed"], weights=s["rb_scheme"],
        concentration=s["rb_concentration"], noise=s["rb_noise"],
        bounds=s["rb_bounds"] if s["rb_scheme"] == "simplex" else None,
        level="areas+categories" if s["rb_categories"] else "areas",
        normalisations=tuple(s["rb_normalisations"]),
        aggregations=tuple(s["rb_aggregations"]), registry=_registry)


@st.cache_data(show_spinner=False, max_entries=32)
def run_sensitivity(source, method, edition, params, weights, settings, _dataset, _registry):
    s = dict(settings)
    return attempt(
        cityindex.sensitivity, ANALYSIS_ERRORS,
        _dataset, method, edition=edition, params=dict(params), own_weights=dict(weights),
        samples=s["rb_samples"], seed=s["rb_seed"], noise=s["rb_noise"],
        normalisations=tuple(s["rb_normalisations"]),
        aggregations=tuple(s["rb_aggregations"]), registry=_registry)


@st.cache_data(show_spinner=False, max_entries=32)
def run_bounds(source, method, edition, params, weights, bounds, _dataset, _registry):
    return attempt(
        cityindex.rank_bounds, ANALYSIS_ERRORS,
        _dataset, method, edition=edition, params=dict(params), own_weights=dict(weights),
        min_weight=bounds[0], max_weight=bounds[1], registry=_registry)


def _settings(page: Page) -> tuple:
    lang, ss = page.lang, st.session_state
    for key, value in SETTINGS.items():
        ss.setdefault(key, value)
    with st.expander(t("rb_settings", lang), expanded=False):
        left, right = st.columns(2)
        scheme = left.selectbox(t("rb_scheme", lang), robustness.WEIGHT_SCHEMES,
                                persist_state=KEEP, format_func=lambda s: t(f"rb_{s}", lang),
                                **localized("rb_scheme", lang))
        ranges = views.ROBUSTNESS_RANGES
        # typed in the reader's format ("2.000"; st.number_input writes "2000" in German)
        number_field(t("rb_draws", lang), "rb_draws", lang, whole=True, low=ranges["draws"][0],
                     high=ranges["draws"][1], where=right)
        if scheme == "dirichlet":
            number_slider(t("rb_concentration", lang), *ranges["concentration"], step=5.0,
                          key="rb_concentration", lang=lang, where=left,
                          help=t("rb_concentration_help", lang))
        if scheme == "noise":
            number_slider(t("rb_noise", lang), *ranges["noise"], step=0.05, key="rb_noise",
                          lang=lang, where=left)
        right.number_input(t("rb_seed", lang), *ranges["seed"], key="rb_seed",
                           persist_state=KEEP, help=t("rb_seed_help", lang))
        number_slider(t("rb_bounds", lang), *ranges["bounds"], step=0.05, key="rb_bounds",
                      lang=lang, where=left, help=t("rb_bounds_help", lang))
        right.checkbox(t("rb_categories", lang), key="rb_categories", persist_state=KEEP)
        left.multiselect(t("rb_normalisations", lang), robustness.NORMALISATIONS,
                         key="rb_normalisations", persist_state=KEEP,
                         format_func=lambda v: choice_text("norm", v, lang),
                         placeholder=t("rb_methods_own", lang))
        right.multiselect(t("rb_aggregations", lang), views.ROBUSTNESS_AGGREGATIONS,
                          key="rb_aggregations", persist_state=KEEP,
                          format_func=lambda v: choice_text("agg", v, lang),
                          placeholder=t("rb_methods_own", lang))
        right.selectbox(t("rb_samples", lang), views.ROBUSTNESS_SAMPLES, key="rb_samples",
                        persist_state=KEEP)
    return tuple((k, tuple(ss[k]) if isinstance(ss[k], list | tuple) else ss[k])
                 for k in SETTINGS)


def render(page: Page) -> None:
    lang = page.lang
    st.caption(t("rb_intro", lang))
    settings = _settings(page)
    if page.shown.empty:  # the filters match no city: nothing to analyse, nothing to run
        st.info(t("no_cities", lang))
        return
    args = (page.source, page.method_name, page.edition, views.params_key(page.changed),
            views.params_key(page.weights))
    progress = st.progress(0.0, text=t("rb_sampling", lang))
    unc, error = run_uncertainty(*args, settings, page.ds, page.registry)
    if error:
        progress.empty()
        st.info(t("rb_not_possible", lang, method=plain(page.method_title(page.method_name)),
                  error=plain(message_text(error, lang))))
        return
    progress.progress(0.4, text=t("rb_bounds_running", lang))
    bounds, bounds_error = run_bounds(*args, dict(settings)["rb_bounds"], page.ds,
                                      page.registry)
    progress.progress(0.8, text=t("rb_sobol_running", lang))
    sens, sens_error = run_sensitivity(*args, settings, page.ds, page.registry)
    progress.empty()
    # the analyses weigh the same values anew: what those values rest on holds for them too
    provenance_caption(page.shown["provenance"], page, t("rb_values_note", lang))
    _intervals(page, unc, bounds, bounds_error)
    _probabilities(page, unc)
    _sensitivity(page, sens, sens_error)


def _intervals(page: Page, unc, bounds, bounds_error) -> None:
    lang = page.lang
    st.subheader(t("rb_intervals", lang))
    count = functools.partial(formats.format_integer, lang=lang)  # "20.000 Ziehungen"
    st.caption(t("rb_counts", lang, draws=count(unc.draws), evaluated=count(unc.n_evaluated),
                 failed=count(unc.n_failed), seed=unc.seed,
                 acceptance=formats.format_percent_value(unc.acceptance * 100, lang)))
    if unc.n_failed:
        st.warning(t("rb_failed", lang, n=unc.n_failed, reasons=plain("; ".join(
            f"{choice_text('norm', r.normalisation, lang)}/"
            f"{choice_text('agg', r.aggregation, lang)}: {message_text(r.reason, lang)}"
            for r in unc.failures.itertuples() if r.failed))))
    table = unc.table.copy()
    if bounds is not None:
        table = table.join(bounds.table[["best_rank", "worst_rank"]])
        st.caption(t("rb_bounds_note", lang,
                     lo=formats.format_percent_value(bounds.min_weight * 100, lang),
                     hi=formats.format_percent_value(bounds.max_weight * 100, lang)))
    elif bounds_error:
        st.caption(t("rb_bounds_unavailable", lang,
                     error=plain(message_text(bounds_error, lang))))
    shown = table[table.index.isin(page.shown.index)]
    labels = {**page.labels, **{k: t(f"rb_col_{k}", lang) for k in (
        "median_rank", "rank_p05", "rank_p95", "best_rank", "worst_rank", "p_rank1",
        "p_top10", "probability", "sobol_index", "input", "order", "S1", "ST")}}
    show_chart(chart_spec(charts.rank_intervals, shown, labels=labels, highlight=page.selected,
                          lang=lang),
               None, page, key="robustness.rank_intervals")  # its numbers: the table below
    st.caption(t("rb_intervals_legend", lang))
    percent = shown.assign(p_rank1=shown["p_rank1"] * 100, p_top10=shown["p_top10"] * 100)
    styled_table(percent.drop(columns=[c for c in percent.columns if c.startswith(
        ("best_weight", "worst_weight"))], errors="ignore"), page,
        column_config={k: labels[k] for k in labels if k in percent.columns})
    _downloads(page, unc, bounds)


def _probabilities(page: Page, unc) -> None:
    lang = page.lang
    st.subheader(t("rb_probabilities_smaa" if unc.smaa else "rb_probabilities", lang))
    probs = unc.rank_probabilities
    probs = probs[probs.index.isin(page.shown.index)]
    show_chart(chart_spec(
        charts.rank_probability_heatmap, probs, unc.table["name"].to_dict(),
        max_rank=min(len(unc.table), 30), lang=lang,
        labels={**page.labels, "probability": t("rb_col_probability", lang)}),
        probs.rename(index=unc.table["name"], columns=str).rename_axis("name").reset_index(),
        page, decimals=3,
        key="robustness.rank_probability_heatmap")


def _sensitivity(page: Page, sens, error) -> None:
    lang = page.lang
    st.subheader(t("rb_sobol", lang))
    if sens is None:
        st.info(t("rb_not_possible", lang, method=plain(page.method_title(page.method_name)),
                  error=plain(message_text(error or "", lang))))
        return
    st.caption(t("rb_sobol_note", lang, n=sens.n_evaluations, samples=sens.samples))
    in_lang = names_in(page.catalogue.categories, lang).to_dict()
    names = {**sens.area_names, **in_lang, **page.area_names,
             "normalisation": t("rb_normalisations", lang),
             "aggregation": t("rb_aggregations", lang)}
    show_chart(chart_spec(charts.sobol_bars, sens.table, input_names=names, lang=lang, labels={
        "S1": t("rb_col_S1", lang), "ST": t("rb_col_ST", lang),
        "sobol_index": t("rb_col_sobol_index", lang), "input": t("rb_col_input", lang),
        "order": t("rb_col_order", lang), "low": t("rb_col_low", lang),
        "high": t("rb_col_high", lang)}),
        sens.table.assign(input=sens.table["input"].map(lambda i: names.get(i, i))), page,
        decimals=3, key="robustness.sobol_bars")
    problems = robustness.sobol_problems(sens.table)
    if problems:
        st.warning(t("rb_sobol_untrusted", lang, samples=sens.samples, items="; ".join(
            t(f"rb_problem_{p.kind}", lang, input=plain(names.get(p.input, p.input)),
              order=t(f"rb_col_{p.order}", lang),
              est=formats.format_number(p.estimate, lang, decimals=3),
              conf=formats.format_number(p.conf, lang, decimals=3))
            for p in problems)))


def _downloads(page: Page, unc, bounds) -> None:
    stem = f"cityindex-robustheit-{page.method_name}-{page.edition}"

    def bundle() -> export.Export:
        result = unc.export()
        if bounds is None:
            return result
        extra = tuple(dataclasses.replace(table, key=f"rank_bounds_{table.key}")
                      for table in bounds.export().tables)
        return export.Export(tables=(*result.tables, *extra), methodology=result.methodology,
                             summary=result.summary)

    download_buttons(page, bundle, stem, "rb_download")
