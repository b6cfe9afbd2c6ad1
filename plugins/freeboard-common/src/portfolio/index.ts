export * from './api';
export * from './review';
