"""The dashboard's parts: the sidebar and one module per tab (``dashboard.py`` is their table
of contents). Streamlit code lives here and in ``dashboard.py`` only; the ``cityindex`` core
never imports Streamlit."""
