"""The adoption dashboard (Streamlit): `depreport dashboard`, layout in app.py, data and figures beside it."""
