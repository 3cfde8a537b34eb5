"""Views of finished records: the one flattening of a record into table rows (flatten.py), shared by the
DataFrames (frames.py) and the columnar batch output; HTML review pages (render.py, templates/)."""
