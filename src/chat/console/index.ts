export { ConsoleAdapter, splitSpeaker, type ConsoleOptions } from './console-adapter.ts';
export { renderCardText, progressBar } from './render-card-text.ts';
export { renderConsoleText } from './render-console-text.ts';
