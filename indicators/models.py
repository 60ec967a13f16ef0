"""Indicators, targets and measurements (see the measure-and-report issue)."""
