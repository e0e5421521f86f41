// A text file bundled as a string (Vite's `?raw`): README.md's guide on the Start screen.
// A script file (no imports), so the wildcard module declaration applies everywhere.
declare module '*.md?raw' {
  const text: string;
  export default text;
}
