#ifndef ZB_VERSION_H
#define ZB_VERSION_H
#define ZB_VERSION "0.1.0"
#endif
