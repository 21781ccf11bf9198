export { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from './slack-adapter.ts';
export { renderCardBlocks, cardFallbackText, type SlackCardMessage } from './render-card-blocks.ts';
export { actionIdFor, cardActionOf } from './action-ids.ts';
export { decodeSlackText } from './decode-slack-text.ts';
export { renderSlackText, renderSlackPlainText, SLACK_NO_PARSE, SLACK_NO_UNFURL, SLACK_TEXT_MAX } from './render-slack-text.ts';
export { UpdateCoalescer, type UpdateCoalescerOptions } from './update-coalescer.ts';
