import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The first render loads Backstage's components lazily, which takes seconds on a busy machine: wait for
// what a test expects for long enough, since a test fails on what is missing, never on how long it took.
configure({ asyncUtilTimeout: 30_000 });
jest.setTimeout(90_000);
