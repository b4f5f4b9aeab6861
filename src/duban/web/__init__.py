"""The web layer: FastAPI app with the REST API (/api/v1) and the Chinese pages (Jinja2 + htmx)."""
