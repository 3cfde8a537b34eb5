"""Batch runs over many files: input discovery, the run loop, output writers."""
