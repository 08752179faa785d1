// react-scanner config for the benchmark. The folder to crawl and the report file come from the
// environment, so one committed config serves the sample and the full corpus:
//   BENCH_CRAWL_FROM=<folder> BENCH_REPORT=<file.json> react-scanner -c react-scanner.config.js
'use strict'

module.exports = {
  crawlFrom: process.env.BENCH_CRAWL_FROM,
  // Every JS/TS file, as given to the other tools (react-scanner's default skips *.test and *.spec).
  globs: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
  processors: [['count-components-and-props', { outputTo: process.env.BENCH_REPORT }]],
}
