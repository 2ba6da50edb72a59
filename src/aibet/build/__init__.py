"""Turning notebooks and data into the book: parameters, the notebook runner, the site."""
