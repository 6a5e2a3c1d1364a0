"""The scenario layer: the file format (schema), safe YAML reading and loading with overlays.

The bottom of the package: it imports nothing of the simulator but :mod:`sim.errors`.
"""
