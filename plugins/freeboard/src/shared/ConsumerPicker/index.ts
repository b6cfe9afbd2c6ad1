export { ConsumerPicker } from './ConsumerPicker';
export { useGroupOptions } from './useGroupOptions';
export type { ConsumerOption } from './useGroupOptions';
