export { ConsumerPicker } from './ConsumerPicker';
export type { ConsumerOption } from './ConsumerPicker';
