// The entry of the wiring: main/app/ is the one place that builds the object graph (adapters into
// services), split by concern. Front ends import from here.
export * from './app/audio.js';
export * from './app/card.js';
export * from './app/demo.js';
export * from './app/mstore.js';
export * from './app/desktop.js';
