import { z } from 'zod';

// zod probes `new Function('')` before compiling its fast object parsers. The pages' CSP forbids eval, so
// the probe only caused a CSP violation (a console error, and a report once reporting is set up) on every
// load of the dashboard and the debug page, drowning a real one. Without the probe zod parses the same
// way, with its interpreter. Imported first by the entry points that bundle zod (the widget does not).
z.config({ jitless: true });
