"""The model layer: parameters, the compiled world, the decision kernel and the Mesa model.

A run is a pure function of (world, parameters, seed); everything the model computes in a
period, and every ledger it keeps, lives here. It imports only :mod:`sim.scenario` and
:mod:`sim.errors` below it.
"""
