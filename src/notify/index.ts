export { renderCard, describeAction, type CardExtras } from './render-card.ts';
export { CardPublisher, type CardSink } from './card-publisher.ts';
