// Imported first by the benches whose agent side runs in their own process (bench:sync,
// bench:store): the process re-executes itself with the V8 settings `zt agent run` starts
// with (bin/memory-settings.js), so that side is measured as an agent runs.
import { execWithSettings } from '../../bin/memory-settings.js'

execWithSettings(['agent', 'run'])
