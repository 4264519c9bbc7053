#!/bin/sh
# `npm test` after typecheck and lint: unit, Python and e2e all run even when one fails, so CI's
# summary line counts every suite; the exit status is non-zero if any failed.
npm run test:unit; unit=$?
npm run test:python; python=$?
npm run test:e2e; e2e=$?
[ "$unit" -eq 0 ] && [ "$python" -eq 0 ] && [ "$e2e" -eq 0 ]
