// Preloaded into jscodeshift (`node -r ./two-workers.js`): jscodeshift caps its workers at the number of
// CPUs minus one, which is 1 on the 2-core benchmark machine. Reporting one CPU more lets `--cpus=2`
// start 2 workers, like `depreport migrate --jobs 2`.
'use strict';
const os = require('os');
const cpus = os.cpus;
os.cpus = () => {
  const found = cpus();
  return found.length ? [...found, found[0]] : found;
};
