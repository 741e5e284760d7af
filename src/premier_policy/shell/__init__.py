"""The shell: the only code that touches the world (arguments, files, standard streams,
sockets). Thin on purpose: it parses, calls the library and prints; no rule lives here.
"""
