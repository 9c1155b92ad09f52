"""``pavedroad new``: run a Backstage software template on this machine.

One module per part, so the portal's pages can use :mod:`examples` without
loading the rest:

* :mod:`template` finds a Template (by ref in the catalog, or a file);
* :mod:`parameters` takes, asks for and validates its form (``jsonschema``);
* :mod:`nunjucks` renders Backstage's template dialect in a sandbox, with
  the filters of :mod:`filters` and JavaScript's value rules (:mod:`values`);
* :mod:`actions` runs the local steps into an in-memory :mod:`workspace`,
  :mod:`remote` prints the others as commands, :mod:`runner` runs them in
  order and :mod:`stamp` marks the result with its template;
* :mod:`command` is the command line's side; :mod:`checks` is what
  ``pavedroad check`` reports about templates; :mod:`examples` gives each
  golden-path page the command to run its template.
"""
