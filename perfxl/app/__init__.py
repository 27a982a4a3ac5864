"""The application layer: every operation a user can ask for, once, for every edge.

The edges — the command line (``perfxl.cli``), batch mode (``perfxl.batch``), the
workbook's buttons (``perfxl.xlentry``) and its PERF_* functions (``perfxl.udfs``) —
translate arguments or cells into a call here and the result into text or cells.
Below this layer is the pure core (``perfxl.core``) and the file adapters
(``perfxl.fileio``, ``perfxl.workbook``, ``perfxl.report``).

=====================  ============================================================
module                 operations
=====================  ============================================================
``app.inputs``         ``open_input`` (data file or workbook → ``fileio.Loaded``),
                       ``check_output`` (an output path, vetted before any work)
``app.profiles``       ``resolve_profile`` / ``builtin_profile``: the rule on what a
                       file may name (built-in names only; paths only from the user)
``app.assessing``      ``assess_input``, ``assess_loaded``, ``assess_evaluation``
``app.reports``        ``write_report``, ``report_input``, ``default_report_path``,
                       ``pdf_available``, ``report_paragraphs``
``app.workbooks``      ``new_workbook``, ``fill_workbook``, ``export_data``, ``build``
``app.extras``         ``needs`` / ``import_extra``: a missing optional part → a
                       Chinese message naming the pip extra (exit 2)
``app.environment``    ``environment_checks``: the 环境自检 / ``perfxl doctor`` list
``app.doctor``         ``doctor``: the checks as one Chinese report with an exit code
``app.setup``          ``setup`` / ``plan_setup``: point Excel at this Python, remove
                       the downloaded-file mark, add-in, trusted location
``app.winplatform``    ``Platform``: the Windows registry and file system behind a
                       small interface (``FakePlatform`` in tests)
``app.bundle``         ``make_bundle``: the offline Windows install folder and .zip
=====================  ============================================================

Errors: every failure a user can cause is a ``perfxl.errors.PerfxlError`` with a
Chinese message and an exit code; an edge shows ``str(exc)`` and uses
``perfxl.errors.exit_code`` — never class names as strings.

Nothing is imported here: ``import perfxl.app.assessing`` loads only the core.
"""
