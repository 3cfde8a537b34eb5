"""Views of finished records: DataFrames (frames.py) and HTML review pages (render.py, templates/)."""
