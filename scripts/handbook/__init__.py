"""Client-Centred Practice Handbook: the package behind the macros and checks."""
